"""Page forms for documents; the services write (and check the file)."""

from __future__ import annotations

from django import forms

from .models import NOTE_MAX, Kind
from .services import Decision

ACCEPT_ATTR = ".pdf,.png,.jpg,.jpeg,.csv,.xlsx,.docx"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Choose…"), *Kind.choices], label="Kind of document")
    request = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Answers the request", choices=[]
    )
    # The file is read by documents.files: its size, emptiness and type are
    # checked there from the bytes (the `accept` list only helps the picker).
    file = forms.FileField(
        required=False,
        label="File",
        help_text="PDF, PNG, JPEG, CSV, Excel or Word, up to 25 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )

    def __init__(
        self, *args: object, requests: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["request"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "None, or a new document"), *(requests or [])]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Choose…"), *Kind.choices], label="Kind of document")
    note = forms.CharField(
        max_length=NOTE_MAX,
        required=False,
        label="What exactly you need",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_date = forms.DateField(required=False, label="Due by", widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[(c, c) for c in Decision.CHOICES])
    note = forms.CharField(max_length=NOTE_MAX, required=False, label="Note to the applicant")
