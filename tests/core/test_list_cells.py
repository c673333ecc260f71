"""The list tables' cells (core/templatetags/listcells.py) and the filter forms' fields
(core/templatetags/filterfields.py) give what Django's `date`/`{% url %}` and crispy give."""

import pytest
from django import forms
from django.template import Context, Template


def test_list_cells_match_the_date_filter_and_the_url_tag(settings):
    import datetime

    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2026, 3, 4, 23, 5), datetime.UTC)
    cells = Template('{% load listcells %}{{ t|minute }}|{{ t|date:"Y-m-d H:i" }}|'
                     '{{ none|minute|default:"—" }}|{% row_url "applications:detail" 12 %}|'
                     '{% url "applications:detail" 12 %}').render(Context({"t": moment,
                                                                            "none": None}))
    shown, expected, empty, fast_url, url = cells.split("|")
    assert shown == expected and empty == "—" and fast_url == url



class _Filters(forms.Form):
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部状态"), ("draft", "填报中")])
    q = forms.CharField(label="关键词", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "名称"}))


def test_a_filter_field_keeps_the_value_and_shows_its_error():
    form = _Filters({"status": "nonsense", "q": "海尔<"})
    assert not form.is_valid()
    html = Template("{% load filterfields %}{{ form.status|filter_field }}"
                    "{{ form.q|filter_field }}").render(Context({"form": form}))
    assert '<label for="id_status" class="form-label">状态</label>' in html
    assert 'class="select form-select is-invalid"' in html
    assert 'class="invalid-feedback"' in html and "nonsense" in html
    assert '<option value="draft">填报中</option>' in html
    assert 'value="海尔&lt;"' in html and 'placeholder="名称"' in html
    assert 'class="textinput form-control"' in html


@pytest.mark.parametrize("value", ["draft", ""])
def test_a_filter_select_marks_the_chosen_option(value):
    html = Template("{% load filterfields %}{{ form.status|filter_field }}").render(
        Context({"form": _Filters({"status": value})}))
    assert f'<option value="{value}" selected>' in html
