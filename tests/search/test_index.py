"""The index follows every change in the same transaction; queries, facets, pages and their query counts."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.directory.models import Topic
from app.errors import ValidationFailed
from app.search import SearchQuery, matching_ids, reindex, run_search, sync
from app.search.models import SearchDocument, SearchFacet
from app.sqltypes import utcnow
from tests.factories import make_event, make_module, make_organisation, make_programme
from tests.search.helpers import make_search_practice


def found(session, q="", **filters):
    return [(hit.type, hit.id) for hit in run_search(session, SearchQuery(q=q, per_page=50, **filters)).items]


def documents(session):
    return session.execute(sa.select(SearchDocument.kind, SearchDocument.object_id)
                           .order_by(SearchDocument.kind, SearchDocument.object_id)).all()


def test_create_update_unpublish_delete_follow_in_the_same_transaction(session):
    event = make_event(session, title="Metrocable study trip", city="Medellín", country="CO",
                       timezone="America/Bogota")
    # not committed yet: the search (which syncs first) already sees it
    assert found(session, "medellin") == [("event", event.id)]
    session.commit()
    assert found(session, "metrocable") == [("event", event.id)]

    event.title = "Cable car exchange"
    session.commit()
    assert found(session, "metrocable") == [] and found(session, "cable car") == [("event", event.id)]

    event.status = "draft"
    session.commit()
    assert found(session, "cable") == [] and ("event", event.id) not in documents(session)

    event.status = "published"
    session.commit()
    assert found(session, "cable") == [("event", event.id)]
    session.delete(event)
    session.commit()
    assert found(session, "cable") == [] and documents(session) == []


def test_a_rollback_leaves_the_index_as_it_was(session):
    practice = make_search_practice(session, title="Rainwater harvesting in Pune", city="Pune", country="IN")
    session.commit()
    before = documents(session)

    practice.title = "Something else entirely"
    make_event(session, title="Rainwater workshop")
    sync(session)  # written inside the transaction ...
    assert len(found(session, "rainwater")) == 1 and found(session, "entirely")
    session.rollback()  # ... and gone with it
    assert documents(session) == before
    assert found(session, "rainwater") == [("practice", practice.id)] and found(session, "entirely") == []


def test_only_public_things_are_indexed(session):
    draft = make_search_practice(session, title="Draft practice", status="draft")
    make_search_practice(session, title="Submitted practice", status="submitted")
    make_event(session, title="Draft event", status="draft")
    cancelled = make_event(session, title="Cancelled event", status="cancelled")
    make_programme(session, title="Draft programme", status="draft")
    session.commit()
    assert found(session, "draft") == [] and found(session, "submitted") == []
    assert found(session, "cancelled") == [("event", cancelled.id)]  # its page is public and says so
    draft.status = "published"
    draft.published_at = utcnow()
    session.commit()
    assert found(session, "draft") == [("practice", draft.id)]


def test_child_rows_and_shared_names_rebuild_their_parents(session):
    practice = make_search_practice(session, title="Bus rapid transit", topics=["sustainable-transport"],
                                    translations=[("es", "Autobús de tránsito rápido", "Resumen")])
    host = make_organisation(session, name="Curitiba City Hall", city="Curitiba", country="BR")
    event = make_event(session, title="BRT dialogue", hosts=[host], topics=["sustainable-transport"])
    programme = make_programme(session, title="Urban mobility course")
    session.commit()
    assert found(session, "autobus") == [("practice", practice.id)]

    translation = practice.translations[0]
    translation.title = "Tránsito rápido en autobús"
    session.commit()
    assert found(session, "transito rapido") == [("practice", practice.id)]
    session.delete(translation)
    session.commit()
    assert found(session, "transito") == []

    topic = session.scalar(sa.select(Topic).where(Topic.slug == "sustainable-transport"))
    topic.name = "Wheels and rails"
    host.name = "Prefeitura de Curitiba"
    make_module(session, programme, title="Cycling lanes that work")
    session.commit()
    assert set(found(session, "wheels rails")) == {("practice", practice.id), ("event", event.id)}
    assert found(session, "prefeitura", type="event") == [("event", event.id)]
    assert found(session, "cycling") == [("programme", programme.id)]


def test_words_match_as_prefixes_and_all_must_match(session):
    a = make_event(session, title="Water and sanitation in Đà Nẵng", city="Đà Nẵng", country="VN",
                   timezone="Asia/Ho_Chi_Minh")
    b = make_event(session, title="Water management", city="São Paulo", country="BR", timezone="America/Sao_Paulo")
    session.commit()
    assert set(found(session, "wat")) == {("event", a.id), ("event", b.id)}
    assert found(session, "water danang") == [("event", a.id)]
    assert found(session, "WATER da nang") == [("event", a.id)]
    assert found(session, "sao paulo") == [("event", b.id)] and found(session, "SÃO") == [("event", b.id)]
    assert found(session, "brasilien") == [("event", b.id)]  # the country's name in another language
    assert found(session, "water xyz") == []


def test_ranking_title_first_then_newest_then_kind_and_id(session):
    now = utcnow()
    older = make_event(session, title="Energy retrofits", starts_at=now + timedelta(days=5),
                       ends_at=now + timedelta(days=5, hours=3))
    newer = make_event(session, title="Energy retrofits again", starts_at=now + timedelta(days=9),
                       ends_at=now + timedelta(days=9, hours=3))
    body_only = make_event(session, title="Housing", summary="Energy retrofits of social housing",
                           starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=30, hours=3))
    session.commit()
    assert found(session, "energy retrofit") == [("event", newer.id), ("event", older.id), ("event", body_only.id)]


def test_facets_count_what_matched_and_filter(session):
    leipzig = make_organisation(session, name="Leipzig", city="Leipzig", country="DE")
    make_search_practice(session, title="Green roofs", organisation=leipzig, goals=[11, 13], stage="pilot",
                         topics=["climate-friendly-urban-development"])
    make_search_practice(session, title="Green bonds", city="Accra", country="GH", goals=[11], language="fr",
                         organisation=make_organisation(session, country="GH"))
    make_event(session, title="Green cities conference", country="DE", languages=["en", "de"])
    session.commit()
    page = run_search(session, SearchQuery(q="green"))
    assert page.total == 3
    assert dict(page.facets["type"]) == {"practice": 2, "event": 1}
    assert dict(page.facets["sdg"]) == {"11": 2, "13": 1}
    assert dict(page.facets["country"]) == {"DE": 2, "GH": 1}
    assert dict(page.facets["region"]) == {"155": 2, "202": 1}
    assert dict(page.facets["stage"]) == {"pilot": 1, "implemented": 1}
    assert dict(page.facets["language"]) == {"en": 2, "de": 1, "fr": 1}
    assert page.facets["type"][0] == ("practice", 2)  # most first
    only = run_search(session, SearchQuery(q="green", sdg="13"))
    assert only.total == 1 and dict(only.facets["type"]) == {"practice": 1}
    assert run_search(session, SearchQuery(q="green", country="de", type="event")).total == 1
    assert run_search(session, SearchQuery(region="202")).total == 2  # the practice and its organisation
    assert run_search(session, SearchQuery(topic="no-such-topic")).total == 0


def test_pagination(session):
    for n in range(7):
        make_event(session, title=f"Budget forum {n}")
    session.commit()
    pages = [run_search(session, SearchQuery(q="budget", page=p, per_page=3)) for p in (1, 2, 3, 4)]
    assert [len(p.items) for p in pages] == [3, 3, 1, 0] and {p.total for p in pages} == {7}
    assert pages[0].pages == 3
    seen = [hit.id for p in pages for hit in p.items]
    assert len(set(seen)) == 7


def test_bad_filters_are_refused_or_left_out(session):
    make_event(session, title="Dakar meeting", city="Dakar", country="SN")
    session.commit()
    for name, value in (("type", "planet"), ("sdg", "18"), ("sdg", "x"), ("country", "ZZ"), ("region", "999"),
                        ("stage", "dream"), ("language", "english"), ("topic", "Not A Slug!")):
        try:
            run_search(session, SearchQuery(q="dakar", **{name: value}))
        except ValidationFailed as exc:
            assert name in exc.fields
        else:
            raise AssertionError(f"{name}={value} accepted")
        lenient = run_search(session, SearchQuery(q="dakar", **{name: value}), strict=False)
        assert lenient.total == 1 and lenient.notices[0][1]["name"] == name
    punctuation = run_search(session, SearchQuery(q="?!..."))
    assert punctuation.total == 0 and punctuation.notices == [("search.no_words", {})]


def test_query_count_is_constant_whatever_the_page_size(session, count_queries):
    for n in range(30):
        make_event(session, title=f"Mobility week {n}")
        make_search_practice(session, title=f"Mobility plan {n}", goals=[11])
    session.commit()
    counts = []
    for per_page in (5, 50):
        with count_queries() as counter:
            page = run_search(session, SearchQuery(q="mobility", per_page=per_page))
        assert len(page.items) == per_page
        counts.append(counter.count)
    assert counts[0] == counts[1] == 2


def test_matching_ids_for_list_filters(session):
    event = make_event(session, title="Medellín urban acupuncture", city="Medellín", country="CO")
    make_search_practice(session, title="Medellín library parks")
    stmt = matching_ids(session, "MEDELLIN", "event")
    assert list(session.scalars(stmt)) == [event.id]
    assert list(session.scalars(matching_ids(session, "%_", "event"))) == []


def test_reindex_rebuilds_everything(session, runner):
    make_event(session, title="Solar schools")
    make_search_practice(session, title="Solar roofs", goals=[7])
    make_programme(session, title="Solar course")
    session.commit()
    before = session.execute(sa.select(SearchDocument.kind, SearchDocument.object_id, SearchDocument.body_folded)
                             .order_by(SearchDocument.kind, SearchDocument.object_id)).all()
    facets_before = session.scalar(sa.select(sa.func.count()).select_from(SearchFacet))
    session.execute(sa.delete(SearchDocument))
    session.commit()
    assert found(session, "solar") == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "event: 1 documents" in result.output
    session.expire_all()
    after = session.execute(sa.select(SearchDocument.kind, SearchDocument.object_id, SearchDocument.body_folded)
                            .order_by(SearchDocument.kind, SearchDocument.object_id)).all()
    assert after == before and session.scalar(sa.select(sa.func.count()).select_from(SearchFacet)) == facets_before
    assert len(found(session, "solar")) == 3
    assert runner.invoke(args=["search", "reindex", "--kind", "planet"]).exit_code != 0
    assert reindex(session, ["event"]) == {"event": 1}


def test_a_one_character_word_matches_only_itself(session):
    plan_a = make_event(session, title="Plan A for Accra", city="Accra", country="GH", summary="Workshop.")
    make_event(session, title="Affordable housing", summary="Workshop.")
    session.commit()
    assert found(session, "a") == [("event", plan_a.id)]
    assert found(session, "plan a") == [("event", plan_a.id)]
    assert len(found(session, "af")) == 2  # "Affordable", and Accra's country (Ghana) is in Africa


def test_facet_rows_carry_their_documents_kind_and_one_type_counts_the_same(session):
    """The facet counts of one type alone read that kind's rows (ix_search_facet_kind): the same numbers as
    counting through the documents, and every row's kind is its document's."""
    make_event(session, title="Solar schools", country="DE")
    make_search_practice(session, title="Solar roofs", goals=[7])
    make_programme(session, title="Solar course")
    session.commit()
    wrong = session.scalar(sa.select(sa.func.count()).select_from(SearchFacet).join(SearchDocument)
                           .where(SearchFacet.kind != SearchDocument.kind))
    assert wrong == 0
    for kind in ("event", "practice", "programme"):
        alone = run_search(session, SearchQuery(type=kind))
        words = run_search(session, SearchQuery(type=kind, q="solar"))  # counted through the matched ids
        assert alone.total == 1 and alone.facets == words.facets


def test_facet_rows_carry_their_documents_audience_and_each_reader_counts_what_they_may_find(session):
    """A visitor's people directory counts the public range of ix_search_facet_kind alone, a member's both ranges:
    the same numbers as counting the visible documents' facets one by one, with or without a filter."""
    from app.people.models import Profile
    from tests.factories import make_profile, make_user

    for n, visibility in enumerate(("public", "public", "members", "hidden")):
        make_profile(session, make_user(session, name=f"Solar {n}", country=("DE", "FR")[n % 2]),
                     visibility=visibility, languages=["fr"])
    session.commit()
    wrong = session.scalar(sa.select(sa.func.count()).select_from(SearchFacet).where(
        SearchFacet.audience != sa.case((SearchFacet.document_id.in_(
            sa.select(SearchFacet.document_id).where(SearchFacet.facet == "audience")), "members"), else_="public")))
    assert wrong == 0
    for audience, levels in (("public", ("public",)), ("members", ("public", "members"))):
        ids = set(session.scalars(sa.select(Profile.user_id).where(Profile.visibility.in_(levels))))
        expected = {}
        for document_id in session.scalars(sa.select(SearchDocument.id).where(
                SearchDocument.kind == "person", SearchDocument.object_id.in_(ids))):
            for facet, value in session.execute(sa.select(SearchFacet.facet, SearchFacet.value).where(
                    SearchFacet.document_id == document_id, SearchFacet.facet != "audience")):
                expected[(facet, value)] = expected.get((facet, value), 0) + 1
        for query in (SearchQuery(type="person"), SearchQuery(type="person", q="solar"),
                      SearchQuery(type="person", language="fr")):
            result = run_search(session, query, audience=audience)
            counted = {(facet, value): n for facet, values in result.facets.items() for value, n in values}
            assert counted == expected, (audience, query)
            assert result.total == len(ids)
