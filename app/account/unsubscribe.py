"""The signed token of the digest's unsubscribe link: the member's id, signed with the app's secret for this
purpose only (another signed value of the app is no unsubscribe token). It does not expire: a link in a
year-old digest still works."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

UNSUBSCRIBE_SALT = "member-digest-unsubscribe"


def unsubscribe_token(secret_key: str, user_id: int) -> str:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).dumps(user_id)


def read_unsubscribe_token(secret_key: str, token: str) -> int | None:
    """The user id a token was made for; None for a forged, altered or cut token."""
    try:
        value = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
