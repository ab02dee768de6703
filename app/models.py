"""Every model, imported in one place so SQLAlchemy and Alembic see the whole schema."""

from app.account.interests_models import *  # noqa: F401,F403
from app.account.invitation_models import Invitation  # noqa: F401
from app.auth.models import ApiToken, User  # noqa: F401
from app.calendar.models import *  # noqa: F401,F403
from app.certificates.models import *  # noqa: F401,F403
from app.directory.models import Organisation, Topic  # noqa: F401
from app.events.models import *  # noqa: F401,F403
from app.jobs.models import *  # noqa: F401,F403
from app.learning.models import *  # noqa: F401,F403
from app.mail.models import OutboxMessage  # noqa: F401
from app.people.contact_models import *  # noqa: F401,F403
from app.people.models import *  # noqa: F401,F403
from app.practices.models import *  # noqa: F401,F403
from app.search.models import SearchDocument, SearchFacet  # noqa: F401
