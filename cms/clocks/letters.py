"""The reply letter to a deputy or member (建议提案答复函), in the official layout of the application letters."""
from cms.applications.letters import Letter, official_docx
from cms.clocks.models import PROPOSAL_KINDS, REPLY_CATEGORIES
from cms.content.sanitize import html_to_text
from cms.errors import Conflict


def _cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日" if day else "（未答复）"


def build_reply_letter(proposal):
    """The letter's text: the full reply (the letter goes to the proposer whatever is published)."""
    if not proposal.reply_html:
        raise Conflict("该件尚未起草答复", fields={"state": proposal.state})
    noun = "代表" if proposal.kind == "npc_suggestion" else "委员"
    label = "建议" if proposal.kind == "npc_suggestion" else "提案"
    paragraphs = [f"您在{proposal.session}上提出的《{proposal.title}》（第{proposal.number}号{label}）收悉。"
                  f"现答复如下："]
    paragraphs += [line.strip() for line in html_to_text(proposal.reply_html).splitlines() if line.strip()]
    paragraphs.append("感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见。")
    return Letter(
        title=f"关于{proposal.session}第{proposal.number}号{label}的答复",
        code=f"{proposal.category}类（{REPLY_CATEGORIES.get(proposal.category, '')}）",
        code_label="办理类别",
        letter_no="",
        addressee=f"{proposal.proposer}{noun}：",
        paragraphs=paragraphs,
        remedy="",
        signer=proposal.organization.name,
        date=_cn_date(proposal.replied_on),
        is_test=False,
    )


def render_reply_docx(proposal):
    """The reply letter as DOCX bytes."""
    return official_docx(build_reply_letter(proposal))


def letter_filename(proposal):
    kind = PROPOSAL_KINDS[proposal.kind]
    return f"{kind}答复-{proposal.session}-{proposal.number}.docx"
