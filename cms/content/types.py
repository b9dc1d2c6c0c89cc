"""Item types and the standard proactive disclosure catalog (主动公开基本目录)."""

ITEM_TYPES = {
    "org_info": "机构概况",
    "policy": "政策文件",
    "interpretation": "政策解读",
    "plan": "规划计划",
    "notice": "通知公告",
    "news": "工作动态",
    "budget": "财政预决算",
    "proposal_reply": "建议提案办理",
    "personnel": "人事信息",
    "enforcement": "行政执法",
    "consultation": "意见征集",
    "response": "回应关切",
    "annual_report": "政府信息公开年报",
    "guide": "政府信息公开指南",
    "cleanup": "文件清理结果",
    "consultation_feedback": "意见采纳情况",
}

# (code, name, accepted types, positioning statement shown to editors)
STANDARD_CATALOG = (
    ("org-info", "机构概况", ("org_info",), "机构职能、内设机构、领导信息、联系方式等机构基本情况。"),
    ("policies", "政策文件", ("policy", "cleanup"), "本机关制发的规范性文件和其他政策性文件全文；解读放在“政策解读”。"),
    ("interpretations", "政策解读", ("interpretation",), "对本机关政策文件的解读材料，须关联所解读的文件。"),
    ("plans", "规划计划", ("plan",), "发展规划、专项规划、年度工作计划及其执行情况。"),
    ("notices", "通知公告", ("notice",), "面向社会的通知、公告、公示；不放政策文件全文。"),
    ("work-news", "工作动态", ("news",), "本机关及局属单位的工作信息、会议活动报道。"),
    ("budget", "财政预决算", ("budget",), "部门预算、决算、“三公”经费及一般公共预算基本支出。"),
    ("proposals", "建议提案办理", ("proposal_reply",), "人大代表建议、政协委员提案的办理结果和答复全文。"),
    ("personnel", "人事信息", ("personnel",), "公务员招录、事业单位招聘、人事任免等信息。"),
    ("enforcement", "行政执法", ("enforcement",), "行政许可、行政处罚等执法公示信息。"),
    ("consultations", "意见征集", ("consultation", "consultation_feedback"), "重大决策预公开、征求意见稿及意见采纳情况。"),
    ("responses", "回应关切", ("response",), "对社会关切、政务舆情的权威回应。"),
    ("annual-reports", "政府信息公开年报", ("annual_report",), "本机关政府信息公开工作年度报告。"),
    ("guide", "政府信息公开指南", ("guide",), "政府信息公开指南、依申请公开办理流程。"),
)

VALIDITY = {"valid": "有效", "expired": "失效", "abolished": "废止", "amended": "已修订"}
DISCLOSURE = {"proactive": "主动公开", "on_request": "依申请公开", "withheld": "不予公开"}
FIVE_PUBLIC = {
    "decision": "决策公开",
    "execution": "执行公开",
    "management": "管理公开",
    "service": "服务公开",
    "result": "结果公开",
}
