"""Forms of the people pages. They read types only; the services check the rules and name the failing field
with the names the forms use (the API's JSON names), so an error lands on its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from app.i18n import _l
from app.people.limits import BIO_MAX, POSITION_MAX
from app.people.profiles import CITY_MAX
from app.practices.forms import MultiCheckboxField

VISIBILITY_LABELS = {
    "hidden": _l("Hidden: only you (and the administrators) see it"),
    "members": _l("Members: people signed in to the platform"),
    "public": _l("Public: everyone, also in search results"),
}


def split_codes(text: str | None) -> list[str]:
    """"fr, de pt" -> ["fr", "de", "pt"]: codes typed in one box, separated by commas or spaces."""
    return [part for part in (text or "").replace(",", " ").split() if part]


class ProfileForm(FlaskForm):
    position = StringField(_l("Position"), validators=[Length(max=POSITION_MAX)])
    city = StringField(_l("City"), validators=[Length(max=CITY_MAX)])
    bio = TextAreaField(_l("About you"), validators=[Length(max=BIO_MAX)],
                        description=_l("A few sentences: what you work on, what you could advise a peer on."))
    topics = MultiCheckboxField(_l("Expertise: topics"), choices=[])
    sdg_targets = StringField(_l("Expertise: SDG targets"),
                              description=_l("Official target codes separated by commas, such as 11.2, 6.a."))
    languages = StringField(_l("Languages you speak"),
                            description=_l("Two-letter codes separated by commas, such as en, fr, ar."))
    visibility = RadioField(_l("Who sees your profile"), choices=list(VISIBILITY_LABELS.items()), default="hidden")
    shows_events = BooleanField(_l("Show the events I organised or attended"))
    shows_certificates = BooleanField(_l("Show my valid certificates"))
    accepts_messages = BooleanField(_l("Members may write to me through the platform (my address stays hidden)"),
                                    default=True)
    submit = SubmitField(_l("Save profile"))

    def data_for_service(self) -> dict:
        return {"position": self.position.data or "", "city": self.city.data or "", "bio": self.bio.data or "",
                "topics": list(self.topics.data or []), "sdg_targets": split_codes(self.sdg_targets.data),
                "languages": split_codes(self.languages.data), "visibility": self.visibility.data,
                "shows_events": bool(self.shows_events.data),
                "shows_certificates": bool(self.shows_certificates.data),
                "accepts_messages": bool(self.accepts_messages.data)}


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), description=_l("A JPEG, PNG or WebP image; it is re-encoded without its metadata."))
    submit = SubmitField(_l("Upload photo"))


class RemovePhotoForm(FlaskForm):
    submit = SubmitField(_l("Remove photo"))
