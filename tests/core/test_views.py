import pytest
from django.test import RequestFactory

from core.views import error_500

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_portal_is_for(client):
    page = client.get("/").content.decode()

    assert "青岛市重点产业数字化转型赋能中心管理平台" in page
    for section in ('id="open-calls"', 'id="notices"', 'id="centers"'):
        assert section in page
    assert "lorem" not in page.lower()


def test_an_unknown_address_gets_the_chinese_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_500_page_is_chinese():
    response = error_500(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
