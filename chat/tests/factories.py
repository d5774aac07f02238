"""factory_boy factories for chat."""

from __future__ import annotations

import factory

from accounts.tests.factories import BankerFactory, OwnerFactory
from chat.models import Conversation, Message


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    owner = factory.SubFactory(OwnerFactory)
    banker = factory.SubFactory(BankerFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = factory.LazyAttribute(lambda m: m.conversation.owner)
    body = factory.Sequence(lambda n: f"Message number {n}")
