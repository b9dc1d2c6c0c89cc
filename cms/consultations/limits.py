"""The rate limit of comments from the public (form and API together), like the application form's."""
from cms.ratelimit import Budget

COMMENT_BUDGET = Budget("consultation_comment", "CMS_COMMENT_RATE_LIMIT", "提交意见过于频繁，请稍后再试。")
