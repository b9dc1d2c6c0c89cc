"""The vocabulary of disclosure on application, with the exact labels of the national annual-report table."""

APPLICANT_TYPES = {
    "person": "自然人",
    "enterprise": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
}
ORGANIZATION_TYPES = tuple(k for k in APPLICANT_TYPES if k != "person")

ID_TYPES = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "foreign_residence": "外国人永久居留身份证",
    "credit_code": "统一社会信用代码",
    "other": "其他证件",
}
PERSON_ID_TYPES = ("resident_id", "passport", "hk_macao_permit", "taiwan_permit", "foreign_residence", "other")
ORGANIZATION_ID_TYPES = ("credit_code", "other")

DELIVERY = {"paper": "纸质（邮寄）", "email": "电子邮件", "pickup": "当面领取"}

# How the application reached the office; the receipt date follows the channel (domain.md, "Receipt date").
CHANNELS = {
    "online": "网上申请",
    "in_person": "当面提交",
    "registered_mail": "邮寄（需签收）",
    "ordinary_mail": "平邮",
    "fax": "传真",
}
CHANNEL_RECEIPT_RULES = {
    "online": "双方确认之日（办公室登记之日，最迟为提交后的下一个工作日）",
    "in_person": "申请人提交之日",
    "registered_mail": "办公室签收之日",
    "ordinary_mail": "办公室与申请人确认之日",
    "fax": "双方确认之日",
}

STATES = {
    "submitted": "待登记",
    "registered": "已登记",
    "supplement_requested": "待补正",
    "assigned": "承办中",
    "consulting": "征求意见中",
    "pending_office": "待办公室审核",
    "pending_leader": "待领导审定",
    "replied": "已答复",
    "closed": "已办结",
}
OPEN_STATES = ("submitted", "registered", "supplement_requested", "assigned", "consulting", "pending_office",
               "pending_leader")
# States in which the 20-working-day clock runs (it stops while waiting for a supplement or a consultation).
CLOCK_RUNNING_STATES = ("registered", "assigned", "pending_office", "pending_leader")

RESULTS = {
    "disclosed": "予以公开",
    "partly_disclosed": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
RESULT_REASONS = {
    "disclosed": {},
    "partly_disclosed": {},
    "withheld": {
        1: "属于国家秘密",
        2: "其他法律行政法规禁止公开",
        3: "危及“三安全一稳定”",
        4: "保护第三方合法权益",
        5: "属于三类内部事务信息",
        6: "属于四类过程性信息",
        7: "属于行政执法案卷",
        8: "属于行政查询事项",
    },
    "unavailable": {
        1: "本机关不掌握相关政府信息",
        2: "没有现成信息需要另行制作",
        3: "补正后申请内容仍不明确",
    },
    "not_processed": {
        1: "信访举报投诉类申请",
        2: "重复申请",
        3: "要求提供公开出版物",
        4: "无正当理由大量反复申请",
        5: "要求行政机关确认或重新出具已获取信息",
    },
    "other": {
        1: "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        2: "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        3: "其他",
    },
}

CONSULTATION_PARTIES = {"third_party": "第三方（第三十二条）", "agency": "其他行政机关（第三十四条）"}

REPLY_DAYS = 20
MAX_EXTENSION_DAYS = 20
SUPPLEMENT_REQUEST_WITHIN = 7
DEFAULT_SUPPLEMENT_PERIOD = 15
CONSULTATION_DAYS = 15


def result_label(result, reason=None):
    """``不予公开 / 4 保护第三方合法权益`` style label."""
    if not result:
        return ""
    label = RESULTS.get(result, result)
    if reason:
        label += f"（{reason}. {RESULT_REASONS.get(result, {}).get(reason, '')}）"
    return label
