"""Forget a user's remembered API tokens in this process as soon as accounts
writes the user or a token, without waiting for the commit's notice
(authentication.token_cache). The notice is what every process relies on; this makes
the writing thread's own next lookup exact at once, and gives tests, whose
transactions never commit, the same rules as production."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import User

from .models import ApiToken
from .signals import api_token_revoked
from .token_cache import token_cache


@receiver(post_save, sender=User, dispatch_uid="accounts.tokens_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="accounts.tokens_user_deleted")
def user_written(sender: Any, instance: User, **kwargs: Any) -> None:
    token_cache.forget_users([instance.pk])


@receiver(post_save, sender=ApiToken, dispatch_uid="accounts.tokens_token_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="accounts.tokens_token_deleted")
def token_written(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    token_cache.forget_users([instance.user_id])


# token_revoke writes with update(), which sends no post_save. (Deactivation
# saves the user, so user_written has it.)
@receiver(api_token_revoked, dispatch_uid="accounts.tokens_token_revoked")
def token_revoked(sender: Any, user_id: int, **kwargs: Any) -> None:
    token_cache.forget_users([user_id])
