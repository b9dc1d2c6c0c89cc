"""The site settings row (one per installation): what the public footer and standard pages show."""
from cms.clock import utcnow
from cms.extensions import db


class SiteSettings(db.Model):
    __tablename__ = "site_settings"
    id = db.Column(db.Integer, primary_key=True)
    host_org = db.Column(db.String(200), nullable=False, default="")  # 主办单位
    site_code = db.Column(db.String(40), nullable=False, default="")  # 网站标识码
    icp_record = db.Column(db.String(100), nullable=False, default="")  # ICP 备案编号
    police_record = db.Column(db.String(100), nullable=False, default="")  # 公安机关备案号
    contact_address = db.Column(db.String(300), nullable=False, default="")
    contact_phone = db.Column(db.String(60), nullable=False, default="")
    contact_email = db.Column(db.String(200), nullable=False, default="")
    privacy_html = db.Column(db.Text, nullable=False, default="")  # 隐私声明 (sanitized)
    guide_html = db.Column(db.Text, nullable=False, default="")  # 信息公开指南 (sanitized)
    rules_html = db.Column(db.Text, nullable=False, default="")  # 信息公开制度 (sanitized)
    version = db.Column(db.Integer, nullable=False, default=1)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
