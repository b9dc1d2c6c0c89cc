"""Site identity and settings (主办单位, 网站标识码, 备案号, 联系我们, 隐私声明, 指南/制度 text)."""
