"""The sentences of the reasons finding peers refuses a challenge for (keys start with match.)."""

from app.errors import msg, register_messages

register_messages({
    "match.nothing_selected": msg("Describe your challenge: choose at least a topic, an SDG target, a region, a "
                                  "city size or a language, or write a few words."),
    "match.field_list": msg("“%(name)s” must be a list."),
    "match.too_many": msg("Choose at most %(limit)s in “%(name)s”."),
    "match.topic_unknown": msg("“%(value)s” is not one of the network's topics."),
    "match.target_invalid": msg("%(value)s is not one of the 169 official SDG targets; use a code such as 11.2 or 6.a."),
    "match.region_invalid": msg("Choose a region from the list (a UN M49 sub-region code such as 155)."),
    "match.size_band_invalid": msg("The city size must be one of %(bands)s."),
    "match.language_invalid": msg("“%(value)s” is not a language code; use two letters such as fr."),
    "match.field_text": msg("The text must be a string."),
    "match.text_too_long": msg("The text may hold at most %(limit)s characters."),
    "match.no_event": msg("Choose an event you organise."),
    "match.no_people": msg("Choose at least one person from the list."),
    "match.person_not_listed": msg("One of the people chosen cannot be enrolled from here."),
})
