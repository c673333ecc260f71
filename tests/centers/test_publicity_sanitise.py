"""The sanitiser of news and 典型案例 (第十九条): nh3 with an explicit allow-list; whatever the
editor or a crafted request sends, only plain formatting and safe links are stored."""

import pytest

from centers.publicity import plain_length, sanitise, text_to_html


@pytest.mark.parametrize("dirty, clean", [
    # Scripts and styles go with their content.
    ("<p>前</p><script>alert(1)</script><p>后</p>", "<p>前</p><p>后</p>"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>正文", "正文"),
    ("<style>body{display:none}</style>正文", "正文"),
    # Event handlers, style, class and id attributes are removed.
    ('<p onclick="alert(1)" onmouseover="x()">段落</p>', "<p>段落</p>"),
    ('<p style="color:red;background:url(javascript:alert(1))">段落</p>', "<p>段落</p>"),
    ('<strong class="x" id="y">重点</strong>', "<strong>重点</strong>"),
    # Links: http, https and mailto only, rel added; javascript:, data:, relative, // dropped.
    ('<a href="https://www.qingdao.gov.cn/">市政府</a>',
     '<a href="https://www.qingdao.gov.cn/" rel="noopener noreferrer">市政府</a>'),
    ('<a href="mailto:fgw@qd.example">邮件</a>',
     '<a href="mailto:fgw@qd.example" rel="noopener noreferrer">邮件</a>'),
    ('<a href="javascript:alert(1)">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="JaVaScRiPt:alert(1)">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="jav&#x09;ascript:alert(1)">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="&#106;avascript:alert(1)">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">点我</a>',
     '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="/admin/">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="//evil.example">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="https://a.example" target="_blank" rel="opener">链接</a>',
     '<a href="https://a.example" rel="noopener noreferrer">链接</a>'),
    # Frames, objects, forms, images and SVG are gone.
    ('<iframe src="https://evil.example"></iframe>正文', "正文"),
    ('<object data="x.swf"></object><embed src="x.swf">正文', "正文"),
    ('<img src=x onerror="alert(1)">正文', "正文"),
    ('<svg><script>alert(1)</script></svg>正文', "正文"),
    ('<form action="https://evil.example"><input name="p"><button>提交</button></form>',
     "提交"),
    # Unknown tags lose their tags and keep their text.
    ("<div><span>文字</span></div>", "文字"),
    ("<h1>大标题</h1><h3>小标题</h3>", "大标题<h3>小标题</h3>"),
    # Comments and conditional comments are dropped.
    ("<!-- <script>alert(1)</script> -->正文", "正文"),
    ("<!--[if IE]><script>alert(1)</script><![endif]-->正文", "正文"),
])
def test_what_is_removed(dirty, clean):
    assert sanitise(dirty) == clean


def test_nested_and_entity_tricks_never_make_markup():
    tricky = [
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        '<a href="https://a.example"><a href="javascript:alert(1)">x</a></a>',
        '<p><iframe><script>alert(1)</script></iframe></p>',
        "<<script>script>alert(1)<</script>/script>",
        '"><script>alert(1)</script>',
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    ]
    for value in tricky:
        cleaned = sanitise(value)
        lowered = cleaned.lower()
        assert "<script" not in lowered and "<iframe" not in lowered and "<img" not in lowered
        assert "javascript:" not in lowered.replace("&lt;", "<")
        # Sanitising again changes nothing: what is stored is stable.
        assert sanitise(cleaned) == cleaned


def test_what_is_kept():
    allowed = ("<h3>背景</h3><h4>问题</h4><p>第一段<br>换行<strong>粗</strong><em>斜</em><b>b</b>"
               "<i>i</i><u>下划线</u></p><ul><li>一</li></ul><ol><li>二</li></ol>"
               "<blockquote>引用</blockquote>")
    assert sanitise(allowed) == allowed


def test_plain_text_becomes_paragraphs_escaped():
    assert sanitise("第一段\n第二行\n\n第二段 a < b & c") == (
        "<p>第一段<br>第二行</p><p>第二段 a &lt; b &amp; c</p>")
    assert text_to_html("") == "" and sanitise(None) == "" and sanitise("   ") == ""
    assert sanitise("1 > 0 的情形") == "1 &gt; 0 的情形"
    # A line break inside markup is markup's business, not a paragraph.
    assert sanitise("<p>一\n二</p>") == "<p>一\n二</p>"


def test_plain_length_counts_text_not_tags():
    assert plain_length("<p><br></p>") == 0
    assert plain_length("<p>案例</p>") == 2


def test_empty_paragraphs_left_by_the_editor_go():
    assert sanitise("<p>一</p><p></p><p><br></p><p> </p>") == "<p>一</p>"
