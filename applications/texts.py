"""Wording quoted from the 申报表; the form, the pages and the PDF all use these."""

LEAD_COMMITMENT = (
    "我单位同意申报建设青岛市产业数字化转型赋能中心，申报的一切内容真实有效；如有不实，"
    "愿承担相应的责任。承诺在青岛市开展产业数字化转型赋能过程中所产生归集的数据与青岛市公共数据"
    "服务平台开放共享，并按要求提供行业诊断咨询报告。"
)
JOINT_COMMITMENT = (
    "我单位同意申报建设青岛市产业数字化转型赋能中心，申报的一切内容真实有效；如有不实，"
    "愿承担相应的责任。"
)
FORM_TITLE = "青岛市重点产业数字化转型赋能中心申报表"
PLAN_TITLE = "青岛市产业数字化转型赋能中心建设方案"
