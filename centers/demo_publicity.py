"""Demo 宣传推介 and 政策文件 (`make run`; 第十五条、第十九条、第二十条): news items and announcements
the commission wrote and published; 典型案例 of demo centers: two approved and public, one of
即墨纺织服装 approved some months ago (seed_demo runs this before the evaluation demo revokes that
center, so /cases/ shows it marked and last), one awaiting the commission's approval (the unit
`applicant_ls_designated2` of 松岭路智能家电 sent it) and one of 即墨新能源汽车 returned with a
reason (its unit finds the decision among its 站内通知, as the published ones' units do); 崂山区 and
即墨区 read their centers' cases at /district/cases/. Policy documents so that /policies/ shows
a current, an upcoming and the expired version. Everything goes through the same services as
the pages. Idempotent: what exists by title is left as it is."""

import datetime

from django.utils import timezone

from applications.models import PolicyDocument
from applications.services import organisation_members

from . import publicity
from .enums import CaseStudyStatus, CenterStatus
from .models import Article, CaseStudy, Center

# 第二十条: the 试行 measures (seeded by applications' migration 0002) expired on 2023-11-18.
POLICIES = [
    {"title": "青岛市重点产业数字化转型赋能中心管理办法",
     "document_number": "青发改规〔2023〕9号（演示）",
     "effective_from": datetime.date(2023, 11, 19), "effective_until": None,
     "summary": "在试行办法基础上修订，明确赋能中心申报、认定、运行、评价和撤销的程序（演示数据）。"},
]
UPCOMING = {"title": "青岛市重点产业数字化转型赋能中心运行评价实施细则",
            "document_number": "青发改规〔{year}〕1号（演示）",
            "summary": "细化年度运行评价的指标、程序和结果运用，自下一年度起施行（演示数据）。"}

ARTICLES = [
    ("news", 40, "全市赋能中心建设工作推进会召开",
     "会议通报了赋能中心认定和运行情况，部署下一阶段重点工作。",
     "<p>近日，市发展改革委召开全市重点产业数字化转型赋能中心建设工作推进会，各区（市）发展改革部门、"
     "功能区经济发展部门和已认定的赋能中心参加会议。</p><h3>一、工作进展</h3><p>截至目前，全市已认定赋能中心"
     "覆盖人工智能、智能家电、海洋装备、食品饮料等重点产业领域，累计为传统企业提供数字化诊断、培训和解决方案服务。</p>"
     "<h3>二、下一步安排</h3><ul><li>持续开展普惠性数字化转型服务；</li><li>按期报送运行情况和年度评价材料；</li>"
     "<li>总结推广典型案例。</li></ul>"),
    ("news", 20, "赋能中心走进食品饮料企业开展数字化诊断",
     "赋能中心组织专家团队深入企业一线，提供免费诊断服务。",
     "<p>赋能中心组织专家团队走进食品饮料企业，围绕生产管理、质量追溯和供应链协同开展数字化诊断，"
     "为企业出具<strong>数字化诊断书</strong>并提出改造建议。</p>"
     "<blockquote>“诊断帮我们找准了转型的切入点。”——参与企业负责人</blockquote>"),
    ("news", 5, "2026年度赋能中心运行评价结果公布",
     "年度运行评价结果已在本网站公布。",
     "<p>根据管理办法第十六条至第十八条，2026年度赋能中心运行评价工作已完成，评价结果已在本网站"
     "“评价结果”栏目公布。</p>"),
    ("announcement", 30, "关于报送赋能中心典型案例的通知",
     "请各赋能中心通过平台报送典型案例。",
     "<p>各赋能中心：</p><p>为总结推广数字化转型经验，请各赋能中心登录本平台，在“典型案例”中填报服务企业"
     "数字化转型的典型案例，经市发展改革委审核后公开发布。</p><ol><li>案例应真实、具体，写明服务对象、"
     "问题、方案和成效；</li><li>涉及企业商业秘密的内容应经企业同意。</li></ol>"
     "<p>联系方式：<a href=\"mailto:fgw-demo@qingdao.example\">fgw-demo@qingdao.example</a></p>"),
    ("announcement", 8, "关于做好赋能中心数据安全年度自查的通知",
     "请各赋能中心按要求完成数据安全年度自查。",
     "<p>根据管理办法第十四条，请各赋能中心对照数据安全管理要求开展年度自查，并通过平台报送自查情况。</p>"),
]

CASES = [
    # (a word of the center's name, title, summary, body, status)
    ("人工智能", "基于视觉检测的注塑件质量在线检测",
     "为注塑企业部署视觉质检系统，缺陷漏检率明显下降。",
     "<h3>企业面临的问题</h3><p>某注塑企业依靠人工目检，漏检率高、质检人员流动大。</p>"
     "<h3>赋能中心的服务</h3><ul><li>开展生产质量数字化诊断并出具诊断书；</li>"
     "<li>提供视觉检测解决方案并组织实施；</li><li>培训企业质检和运维人员。</li></ul>"
     "<h3>取得的成效</h3><p>上线后缺陷漏检率由约3%降至0.5%以下，质检用工减少一半。</p>",
     CaseStudyStatus.PUBLISHED),
    ("新能源汽车", "汽车零部件企业设备联网与数据采集改造",
     "帮助零部件企业实现关键设备联网，设备综合效率提升。",
     "<h3>背景</h3><p>企业设备品牌多、协议杂，生产数据依靠手工记录。</p>"
     "<h3>方案</h3><p>赋能中心提供设备联网和数据采集方案，搭建车间看板。</p>"
     "<h3>成效</h3><p>设备综合效率提升约8个百分点，故障响应时间缩短40%。</p>",
     CaseStudyStatus.PUBLISHED),
    ("智能家电", "家电配套企业供应链协同平台应用",
     "推动家电配套企业与整机企业实现订单和库存协同。",
     "<h3>背景</h3><p>配套企业与整机企业之间订单变更频繁，库存积压。</p>"
     "<h3>方案</h3><p>赋能中心为企业接入供应链协同平台，实现订单、排产和库存信息共享。</p>"
     "<h3>成效</h3><p>库存周转天数减少约20%。</p>",
     CaseStudyStatus.SUBMITTED),
    ("服装", "针织企业订单排产数字化改造",
     "为针织服装企业上线订单排产系统，交期达成率提升。",
     "<h3>背景</h3><p>企业小批量多品种订单增多，人工排产频繁插单，交期难以保证。</p>"
     "<h3>方案</h3><p>赋能中心开展排产诊断，部署订单排产系统并与车间报工打通。</p>"
     "<h3>成效</h3><p>交期达成率由约80%提升至95%。</p>",
     CaseStudyStatus.PUBLISHED),
    ("新能源汽车", "电池包装配线质量追溯系统建设",
     "为电池包装配企业建设质量追溯系统。",
     "<h3>背景</h3><p>装配过程数据分散，质量问题难以追溯到工位和批次。</p>"
     "<h3>方案</h3><p>赋能中心提供扫码追溯和工位数据采集方案。</p>",
     CaseStudyStatus.RETURNED),
]
# 第十九条: the commission's reason for the returned demo case, told to its unit.
RETURN_REASON = "请补充服务成效（如追溯时间、质量损失的变化）的具体数据，并说明涉及企业是否同意公开。"
# The revoked center's case was published well before the revocation (the day of seeding).
PUBLISHED_DAYS_AGO = {"针织企业订单排产数字化改造": 90}


def seed_policies(today: datetime.date | None = None) -> None:
    """Adds the current and an upcoming policy version (from next 1 January) when missing."""
    today = today or timezone.localdate()
    for data in POLICIES:
        PolicyDocument.objects.get_or_create(title=data["title"], defaults=data)
    start = datetime.date(today.year + 1, 1, 1)
    PolicyDocument.objects.get_or_create(title=UPCOMING["title"], defaults={
        "document_number": UPCOMING["document_number"].format(year=today.year),
        "effective_from": start, "effective_until": start.replace(year=start.year + 5) -
        datetime.timedelta(days=1), "summary": UPCOMING["summary"]})


def seed_articles(commission_user) -> int:
    """The demo news and announcements, written and published as `commission_user`; their
    publication dates spread over the last weeks. Returns how many were added."""
    added = 0
    now = timezone.now()
    for kind, days_ago, title, summary, body in ARTICLES:
        if Article.objects.filter(title=title).exists():
            continue
        article = publicity.article_save(actor=commission_user, kind=kind, title=title,
                                         summary=summary, body=body)
        publicity.article_publish(article=article, actor=commission_user)
        Article.objects.filter(pk=article.pk).update(
            published_at=now - datetime.timedelta(days=days_ago))
        added += 1
    return added


def seed_cases(commission_user) -> int:
    """The demo 典型案例 (`CASES`), each of an active demo center whose name holds the word
    given, written and submitted by the first member of its unit, then approved or returned by
    `commission_user` (the unit is told once the seeding commits). Returns how many were
    added."""
    added = 0
    for word, title, summary, body, status in CASES:
        if CaseStudy.objects.filter(title=title).exists():
            continue
        center = (Center.objects.filter(status=CenterStatus.ACTIVE, name__contains=word)
                  .select_related("application").order_by("pk").first())
        if center is None:
            continue
        members = organisation_members(center.application.organisation_id)
        if not members:
            continue
        case = publicity.case_create(center=center, actor=members[0], title=title,
                                     summary=summary, body=body)
        case = publicity.case_submit(case=case, actor=members[0])
        if status == CaseStudyStatus.PUBLISHED:
            publicity.case_approve(case=case, actor=commission_user)
            if title in PUBLISHED_DAYS_AGO:
                CaseStudy.objects.filter(pk=case.pk).update(
                    published_at=timezone.now()
                    - datetime.timedelta(days=PUBLISHED_DAYS_AGO[title]))
        elif status == CaseStudyStatus.RETURNED:
            publicity.case_return(case=case, actor=commission_user, reason=RETURN_REASON)
        added += 1
    return added


def seed_publicity(commission_user, stdout=None) -> None:
    """All of the above (policies, news, cases); safe to run again."""
    seed_policies()
    articles = seed_articles(commission_user)
    cases = seed_cases(commission_user)
    if stdout is not None:
        stdout.write(f"宣传推介：新增新闻公告 {articles} 条、典型案例 {cases} 件。")
