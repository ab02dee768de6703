"""Event forms: they parse types; the services validate the rules and name the failing field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.events.labels import EVENT_FORMAT_LABELS, WAITLIST_MODE_LABELS
from app.events.limits import (
    CANCEL_EVENT_REASON_MAX,
    EVENT_TEXT_LIMITS,
    ONLINE_URL_MAX,
    REASON_MAX,
    SESSION_TEXT_LIMITS,
)
from app.i18n import _l

DT_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class HoursListField(StringField):
    """A comma-separated list of hours, shown from and returned as a list (validated by the services)."""

    def _value(self) -> str:
        if isinstance(self.data, list | tuple):
            return ", ".join(str(v) for v in self.data)
        return super()._value()

    def as_list(self) -> list[str]:
        if isinstance(self.data, list | tuple):
            return [str(v) for v in self.data]
        return [part.strip() for part in (self.data or "").split(",") if part.strip()]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: usable by keyboard, screen reader and on phones, unlike a ctrl-click multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=EVENT_TEXT_LIMITS["title"])])
    format = SelectField(_l("Format"), choices=list(EVENT_FORMAT_LABELS.items()))
    summary = TextAreaField(_l("Summary (one or two sentences)"), validators=[Optional(), Length(max=EVENT_TEXT_LIMITS["summary"])])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=EVENT_TEXT_LIMITS["description"])])
    topics = MultiCheckboxField(_l("Topics"), validators=[Optional()])
    hosts = MultiCheckboxField(_l("Host organisations / cities"), coerce=int, validators=[Optional()])
    organisers = MultiCheckboxField(
        _l("Organisers (they edit the event, manage participants and check people in)"), coerce=int,
        validators=[Optional()], description=_l("You stay an organiser of an event you create."))
    languages = StringField(_l("Languages (ISO codes, comma-separated)"), default="en",
                            validators=[Optional(), Length(max=60)])
    timezone = StringField(_l("Time zone of the venue (IANA)"), default="Europe/Berlin",
                           validators=[DataRequired(), Length(max=64)])
    starts_at = DateTimeLocalField(_l("Starts (local time at the venue)"), format=DT_FORMAT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(
        _l("Ends (local time at the venue)"), format=DT_FORMAT, validators=[DataRequired()],
        description=_l("Moving the event (start and end by the same amount, for example to another day) moves its "
                    "agenda with it; each session keeps its local time. Changing only the start or the end "
                    "leaves the agenda where it is."))
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=EVENT_TEXT_LIMITS["venue"])])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=EVENT_TEXT_LIMITS["address"])])
    city = StringField(_l("City"), validators=[Optional(), Length(max=EVENT_TEXT_LIMITS["city"])])
    country = SelectField(_l("Country"), validators=[Optional()])
    # text, not FloatField: the service reads them and names the field it refuses (range, both or neither)
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=30)],
                           description=_l("Decimal degrees from −90 to 90, e.g. 51.3397; give both or neither."))
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=30)],
                            description=_l("Decimal degrees from −180 to 180, e.g. 12.3731 (west is negative)."))
    online_url = StringField(_l("Online URL (for online or hybrid events)"), validators=[Optional(), Length(max=ONLINE_URL_MAX)])
    capacity = IntegerField(_l("Capacity (empty = unlimited)"), validators=[Optional()])
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), format=DT_FORMAT, validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), format=DT_FORMAT, validators=[Optional()])
    requires_approval = BooleanField(_l("Enrolments need approval by an organiser"))
    waitlist_mode = SelectField(_l("Waiting list"), choices=list(WAITLIST_MODE_LABELS.items()))
    offer_hours = IntegerField(_l("Hours to accept an offered seat"), default=48, validators=[Optional()])
    hours = DecimalField(_l("Declared hours (for certificates)"), places=2, validators=[Optional()])
    min_attendance_percent = IntegerField(_l("Minimum attendance for a certificate (%)"), default=100,
                                          validators=[Optional()])
    auto_certificates = BooleanField(_l("Issue certificates automatically after the event"), default=True)
    reminder_offsets_hours = HoursListField(
        _l("Reminders to confirmed participants (hours before the start, comma-separated; 168 = 7 days)"),
        default=[168, 24], validators=[Optional(), Length(max=100)],
    )
    submit = SubmitField(_l("Save"))

    def to_data(self) -> dict:
        """The event data dict the services take (datetimes are naive: local time in `timezone`)."""
        names = ("title", "format", "summary", "description", "topics", "hosts", "languages", "timezone",
                 "starts_at", "ends_at", "venue", "address", "city", "country", "online_url", "capacity",
                 "registration_opens_at", "registration_closes_at", "requires_approval", "waitlist_mode",
                 "offer_hours", "hours", "min_attendance_percent", "auto_certificates", "latitude", "longitude")
        data = {name: getattr(self, name).data for name in names}
        data["reminder_offsets_hours"] = self.reminder_offsets_hours.as_list()
        data["organisers"] = list(self.organisers.data or [])
        data["online_url"] = data["online_url"] or None
        data["country"] = data["country"] or None
        return data


class SessionForm(FlaskForm):
    title = StringField(_l("Title (for information trips: the site visited)"), validators=[DataRequired(),
                                                                                        Length(max=SESSION_TEXT_LIMITS["title"])])
    starts_at = DateTimeLocalField(_l("Starts (local time)"), format=DT_FORMAT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends (local time)"), format=DT_FORMAT, validators=[DataRequired()])
    location = StringField(_l("Room or location"), validators=[Optional(), Length(max=SESSION_TEXT_LIMITS["location"])])
    address = StringField(_l("Address (itinerary stops)"), validators=[Optional(), Length(max=SESSION_TEXT_LIMITS["address"])])
    speakers = StringField(_l("Speakers / hosts"), validators=[Optional(), Length(max=SESSION_TEXT_LIMITS["speakers"])])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=SESSION_TEXT_LIMITS["description"])])
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=30)],
                           description=_l("An itinerary stop on the map (information trips draw their route "
                                          "through the stops in order): decimal degrees, both or neither."))
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=30)])
    submit = SubmitField(_l("Save session"))

    def to_data(self) -> dict:
        return {name: getattr(self, name).data or "" for name in
                ("title", "starts_at", "ends_at", "location", "address", "speakers", "description",
                 "latitude", "longitude")}


class CancelEventForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to everyone enrolled)"), validators=[DataRequired(), Length(max=CANCEL_EVENT_REASON_MAX)])
    submit = SubmitField(_l("Cancel the event"))


class DuplicateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=EVENT_TEXT_LIMITS["title"])])
    starts_at = DateTimeLocalField(_l("New start (local time)"), format=DT_FORMAT, validators=[DataRequired()])
    submit = SubmitField(_l("Create the copy"))


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Go"))


class AddParticipantForm(FlaskForm):
    email = EmailField(_l("Email of a registered person"), validators=[DataRequired(), Length(max=254)])
    override_capacity = BooleanField(_l("Beyond capacity if the event is full"))
    submit = SubmitField(_l("Enrol"))


class CheckinForm(FlaskForm):
    ticket_code = StringField(_l("Ticket code"), validators=[Optional(), Length(max=64)])
    enrolment_id = HiddenField()
    unit = HiddenField()
    confirm = HiddenField()  # "yes" once the desk confirmed a check-in before the event's first day
    submit = SubmitField(_l("Check in"))

