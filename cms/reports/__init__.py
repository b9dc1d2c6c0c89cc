"""The annual report (政府信息公开工作年度报告), the enforcement register counts and the assessment."""
