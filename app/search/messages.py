"""The sentences of the search's reasons."""

from app.errors import msg, register_messages

register_messages({
    "search.query_cut": msg("Only the first 200 characters and 12 words of your search were used."),
    "search.no_words": msg("Your search has no letters or digits in it, so it cannot match anything. "
                           "Try a word such as a city, a topic or a title."),
    "search.filter_invalid": msg("“%(name)s” holds a value this search cannot filter by."),
    "search.type_invalid": msg("“Type” must be one of: %(types)s."),
})
