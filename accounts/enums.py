from django.db import models


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    THINK_TANK = "think_tank", "智库机构"
    UNIVERSITY = "university", "高等院校"
    RESEARCH_INSTITUTE = "research_institute", "科研院所"
    INDUSTRY_ASSOCIATION = "industry_association", "行业协会"
    OTHER = "other", "其他"


# 第七条（一）: these kinds must be registered or located in Qingdao themselves.
KINDS_THAT_MUST_BE_LOCAL = frozenset(
    {
        OrganisationKind.THINK_TANK,
        OrganisationKind.UNIVERSITY,
        OrganisationKind.RESEARCH_INSTITUTE,
        OrganisationKind.INDUSTRY_ASSOCIATION,
    }
)


class DepartmentKind(models.TextChoices):
    DISTRICT = "district", "区（市）发展改革部门"
    FUNCTIONAL_ZONE = "functional_zone", "功能区经济发展部门"
    COMMISSION = "commission", "市发展改革委（市新旧动能办）"
    INDUSTRY_AUTHORITY = "industry_authority", "行业主管部门"
    THIRD_PARTY = "third_party", "第三方机构"


# 第三条: the 主管部门 of a location is a district or a functional zone.
COMPETENT_DEPARTMENT_KINDS = (DepartmentKind.DISTRICT, DepartmentKind.FUNCTIONAL_ZONE)


class Role(models.TextChoices):
    APPLICANT = "applicant", "申报单位用户"
    DISTRICT_OFFICIAL = "district_official", "主管部门工作人员"
    COMMISSION_STAFF = "commission_staff", "市发展改革委工作人员"
    INDUSTRY_STAFF = "industry_staff", "行业主管部门工作人员"
    THIRD_PARTY_STAFF = "third_party_staff", "第三方机构工作人员"
    EXPERT = "expert", "评审专家"
    AUDITOR = "auditor", "审计员"


# Which scope each role is held in: an organisation, a department, or none.
ROLE_SCOPE = {
    Role.APPLICANT: "organisation",
    Role.DISTRICT_OFFICIAL: "department",
    Role.COMMISSION_STAFF: "department",
    Role.INDUSTRY_STAFF: "department",
    Role.THIRD_PARTY_STAFF: "department",
    Role.EXPERT: None,
    Role.AUDITOR: None,
}

# The kind of department a department-scoped role must belong to.
ROLE_DEPARTMENT_KINDS = {
    Role.DISTRICT_OFFICIAL: COMPETENT_DEPARTMENT_KINDS,
    Role.COMMISSION_STAFF: (DepartmentKind.COMMISSION,),
    Role.INDUSTRY_STAFF: (DepartmentKind.INDUSTRY_AUTHORITY,),
    Role.THIRD_PARTY_STAFF: (DepartmentKind.THIRD_PARTY,),
}
