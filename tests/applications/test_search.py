"""The staff list's search (中心名称、单位名称、统一社会信用代码), on SQLite and PostgreSQL; on
PostgreSQL it is answered by the trigram indexes of migration 0012_search_trigram_indexes."""

import pytest
from django.db import connection

from applications.selectors import application_filterset_for, application_list_page
from tests.factories import ApplicationFactory, OrganisationFactory


@pytest.fixture
def found(commission_staff):
    def run(text):
        return set(application_filterset_for(commission_staff, {"q": text}).qs
                   .values_list("pk", flat=True))
    return run


@pytest.fixture
def three(db):
    """A: own name only; B: with a joint unit named and coded apart; C: a Latin-named centre."""
    a = ApplicationFactory(complete=True, center_name="海尔智慧家庭赋能中心",
                           organisation=OrganisationFactory(name="青岛海尔智能技术有限公司"))
    b = ApplicationFactory(complete=True, joint=True, center_name="港口数字化赋能中心",
                           organisation=OrganisationFactory(name="青岛港湾科技有限公司"),
                           joint_unit__name="青岛啤酒联合研究院")
    c = ApplicationFactory(complete=True, center_name="Haizhi AI赋能中心",
                           organisation=OrganisationFactory(name="青岛西海岸软件有限公司"))
    return {"a": a, "b": b, "c": c}


def test_search_matches_names_codes_and_the_joint_unit(found, three):
    a, b, c = three["a"], three["b"], three["c"]
    joint = b.units.get(role="joint")
    assert found("海尔智慧") == {a.pk}                    # 中心名称
    assert found("海尔") == {a.pk}                        # two characters
    assert found("港湾科技") == {b.pk}                    # the lead organisation's name
    assert found("啤酒联合") == {b.pk}                    # only the joint unit has it
    assert found("青岛") == {a.pk, b.pk, c.pk}
    assert found(a.organisation.uscc) == {a.pk}          # the whole 统一社会信用代码
    assert found(a.organisation.uscc[:17]) == {a.pk}     # a prefix of it
    assert found(joint.uscc) == {b.pk}                   # the joint unit's code
    assert found(joint.uscc.lower()) == {b.pk}      # any case
    assert found("haizhi ai") == {c.pk}                  # Latin letters, any case
    assert found("海") == {a.pk, c.pk}                    # one character: read, still right
    assert found("不存在的单位") == set()


def test_a_short_code_fragment_or_a_like_wildcard_matches_nothing_by_itself(found, three):
    # Two characters of a code would match thousands of codes: codes match from three on.
    assert found(three["a"].organisation.uscc[:2]) == set()
    assert found("%") == set() and found("_") == set() and found("%%") == set()


def test_search_page_and_count_are_two_queries(commission_staff, three,
                                               django_assert_num_queries):
    queryset = application_filterset_for(commission_staff, {"q": "海尔"}).qs
    with django_assert_num_queries(2):
        page = application_list_page(queryset, 1, 50)
    assert [row.pk for row in page.object_list] == [three["a"].pk]


@pytest.mark.services
@pytest.mark.parametrize("text, indexes", [
    ("海尔智慧", ["application_center_name_trgm", "organisation_name_trgm",
              "applicationunit_name_trgm"]),
    ("HAIZHI", ["application_center_name_trgm", "organisation_name_trgm",
                "organisation_uscc_trgm", "applicationunit_name_trgm",
                "applicationunit_uscc_trgm"]),
    ("海尔", ["application_center_name_trgm_2", "organisation_name_trgm_2",
            "applicationunit_name_trgm_2"]),
    ("91370", ["organisation_uscc_trgm", "applicationunit_uscc_trgm"]),
])
def test_search_reads_the_trigram_indexes_on_postgresql(commission_staff, three, text,
                                                       indexes):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        # A handful of rows is cheaper to read whole (or along the primary key): ask whether
        # the search's own condition can be answered from an index at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    queryset = application_filterset_for(commission_staff, {"q": text}).qs
    plan = queryset.values("pk").explain()
    for index in indexes:
        assert index in plan, plan


def test_a_text_that_cannot_be_a_code_is_not_compared_with_codes():
    from core.search import text_conditions

    assert len(text_conditions("海尔智慧", names=["name"], codes=["uscc"])) == 1
    assert len(text_conditions("91370", names=["name"], codes=["uscc"])) == 2
    assert len(text_conditions("913", names=["name"], codes=["uscc"])) == 2
    assert len(text_conditions("91", names=["name"], codes=["uscc"])) == 1
