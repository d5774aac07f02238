"""Page forms: parse input only (the services do the rest)."""

from django import forms

from .models import BODY_MAX, CLIENT_ID_MAX


class StartForm(forms.Form):
    banker = forms.IntegerField(min_value=1)


class MessageForm(forms.Form):
    # Optional here: a message may be a file alone (the view checks one of the two is there).
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    client_id = forms.CharField(max_length=CLIENT_ID_MAX, required=False, widget=forms.HiddenInput)
