"""The sample catalog (示例数据): departments, life-event themes and about thirty service items of a
fictitious district service centre in 济南市历下区 (行政区划 370102). Names follow real item
lists so the terminal looks like a real one; codes, addresses, phones and links are invented.
"""
from __future__ import annotations

from typing import Any

REGION = "370102"
HALL = "历下区政务服务中心（示例）"
ADDRESS = "济南市历下区示例路 1 号（示例地址）"
PHONE = "0531-12345678"
ONLINE = "https://zwfw.example.gov.cn/item/"

# code, name, English name, floor/area (for locations)
DEPARTMENTS: list[tuple[str, str, str, str]] = [
    ("rsj", "人力资源和社会保障局", "Human Resources and Social Security Bureau", "二楼 B 区社保专区"),
    ("ybj", "医疗保障局", "Healthcare Security Administration", "二楼 B 区医保专区"),
    ("gaj", "公安分局", "Public Security Bureau", "一楼 A 区户政专区"),
    ("zrzyj", "自然资源和规划局", "Natural Resources and Planning Bureau", "三楼 C 区不动产专区"),
    ("gjj", "住房公积金管理中心", "Housing Provident Fund Management Centre", "二楼 D 区公积金专区"),
    ("mzj", "民政局", "Civil Affairs Bureau", "一楼 E 区民政专区"),
    ("wjw", "卫生健康委员会", "Health Commission", "一楼 E 区卫健专区"),
    ("scjgj", "市场监督管理局", "Market Supervision Administration", "三楼 F 区企业开办专区"),
    ("swj", "税务局", "Taxation Bureau", "三楼 G 区税务专区"),
    ("jyj", "教育和体育局", "Education and Sports Bureau", "一楼 E 区综合窗口"),
]
WINDOWS = {"rsj": "B区 12-15号窗口", "ybj": "B区 16-18号窗口", "gaj": "A区 1-6号窗口", "zrzyj": "C区 21-28号窗口",
           "gjj": "D区 31-34号窗口", "mzj": "E区 41-42号窗口", "wjw": "E区 43号窗口", "scjgj": "F区 51-56号窗口",
           "swj": "G区 61-68号窗口", "jyj": "E区 45号窗口"}

# code, name, English name, audience
THEMES: list[tuple[str, str, str, str]] = [
    ("employment", "就业创业", "Employment", "personal"),
    ("social_security", "社会保障", "Social security", "personal"),
    ("medical", "医疗健康", "Health care", "personal"),
    ("household", "户籍证件", "Household and ID", "personal"),
    ("housing", "住房不动产", "Housing and property", "personal"),
    ("marriage_birth", "婚姻生育", "Marriage and birth", "personal"),
    ("elderly", "养老服务", "Elderly care", "personal"),
    ("education", "教育入学", "Education", "personal"),
    ("tax", "纳税缴费", "Taxes and fees", "personal"),
    ("company_start", "企业开办", "Starting a business", "company"),
]

MATERIALS: dict[str, tuple[str, bool]] = {  # code -> (name, original)
    "id_card": ("居民身份证", True), "hukou": ("居民户口簿", True), "photo": ("近期一寸免冠照片", True),
    "termination": ("解除或终止劳动合同证明", False), "rental": ("房屋租赁合同", False),
    "marriage": ("结婚证", True), "birth_cert": ("出生医学证明", True), "property": ("不动产权证书", True),
    "premises": ("经营场所使用证明", False), "referral": ("转诊或异地居住证明", False),
    "residence": ("居住证明（租赁合同或房产证明）", False), "household_register": ("户口簿首页及本人页", False),
    "bank_card": ("本人银行卡", True), "vaccination": ("预防接种证", True),
}

FORMS: dict[str, list[dict[str, Any]]] = {
    "card": [
        {"key": "reason", "label": "申领原因", "label_en": "Reason", "kind": "choice",
         "options": ["首次申领", "损坏换领", "遗失补领"], "required": True},
        {"key": "start_date", "label": "开始日期", "label_en": "Start date", "kind": "date", "required": True},
        {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
         "required": True},
    ],
    "unemployment": [
        {"key": "reason", "label": "离职原因", "label_en": "Reason for leaving", "kind": "choice",
         "options": ["劳动合同期满", "用人单位解除", "其他非本人意愿"], "required": True},
        {"key": "leave_date", "label": "离职日期", "label_en": "Date of leaving", "kind": "date", "required": True},
        {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
         "required": True},
    ],
    "enrol": [
        {"key": "grade", "label": "参保档次", "label_en": "Contribution grade", "kind": "choice",
         "options": ["第一档", "第二档", "第三档"], "required": True},
        {"key": "start_date", "label": "参保开始日期", "label_en": "Start date", "kind": "date", "required": True},
        {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
         "required": True},
    ],
    "travel": [
        {"key": "kind", "label": "备案类型", "label_en": "Filing type", "kind": "choice",
         "options": ["异地长期居住", "常驻异地工作", "转诊转院"], "required": True},
        {"key": "province", "label": "就医地", "label_en": "Province of treatment", "kind": "choice",
         "options": ["北京市", "上海市", "江苏省", "浙江省", "广东省"], "required": True},
        {"key": "start_date", "label": "开始日期", "label_en": "Start date", "kind": "date", "required": True},
    ],
    "permit": [
        {"key": "reason", "label": "居住事由", "label_en": "Reason for residence", "kind": "choice",
         "options": ["就业", "就读", "投靠亲属", "其他"], "required": True},
        {"key": "since", "label": "来本市居住日期", "label_en": "Living here since", "kind": "date", "required": True},
        {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
         "required": True},
    ],
    "fund_rent": [
        {"key": "period", "label": "提取周期", "label_en": "Withdrawal period", "kind": "choice",
         "options": ["按月提取", "按季提取", "按年提取"], "required": True},
        {"key": "monthly_rent", "label": "月租金（元）", "label_en": "Monthly rent (yuan)", "kind": "digits",
         "min_len": 3, "max_len": 5, "required": True},
        {"key": "bank_account", "label": "收款银行卡号", "label_en": "Bank card number", "kind": "digits",
         "min_len": 16, "max_len": 19, "required": True},
    ],
    "allowance": [
        {"key": "age_band", "label": "年龄段", "label_en": "Age band", "kind": "choice",
         "options": ["80-89周岁", "90-99周岁", "100周岁及以上"], "required": True},
        {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
         "required": True},
    ],
    "birth": [
        {"key": "child_order", "label": "生育孩次", "label_en": "Birth order", "kind": "choice",
         "options": ["一孩", "二孩", "三孩"], "required": True},
        {"key": "due_date", "label": "预产期", "label_en": "Due date", "kind": "date", "required": True},
    ],
    "school": [
        {"key": "stage", "label": "入学阶段", "label_en": "School stage", "kind": "choice",
         "options": ["小学一年级", "初中一年级"], "required": True},
        {"key": "birth_date", "label": "儿童出生日期", "label_en": "Child's date of birth", "kind": "date",
         "required": True},
        {"key": "phone", "label": "监护人电话", "label_en": "Guardian's phone", "kind": "digits", "min_len": 11,
         "max_len": 11, "required": True},
    ],
    "flexible": [
        {"key": "grade", "label": "缴费基数档次", "label_en": "Contribution base", "kind": "choice",
         "options": ["60%", "80%", "100%", "150%", "200%", "300%"], "required": True},
        {"key": "start_date", "label": "参保开始日期", "label_en": "Start date", "kind": "date", "required": True},
    ],
    "business": [
        {"key": "form", "label": "组成形式", "label_en": "Form of organisation", "kind": "choice",
         "options": ["个人经营", "家庭经营"], "required": True},
        {"key": "staff", "label": "从业人数", "label_en": "Number of staff", "kind": "digits", "min_len": 1,
         "max_len": 3, "required": True},
        {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
         "required": True},
    ],
}

# basic code, department, name, English, themes, functions, legal days, promised days,
# materials as "code" (scanned) or "code:n" (not scanned, n copies), form key, conditions
Item = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], int, int, tuple[str, ...], str, tuple[str, ...]]
G, P, R, D = "guide", "progress", "print", "declare"
ITEMS: list[Item] = [
    ("000201001", "rsj", "社会保障卡申领", "Social security card application", ("social_security", "employment"),
     (G, P, R, D), 20, 5, ("id_card", "photo:1"), "card", ("本市参保人员",)),
    ("000201002", "rsj", "个人参保证明打印", "Printing the social insurance record", ("social_security",),
     (G, R), 1, 0, ("id_card:1",), "", ("本市参保人员",)),
    ("000201003", "rsj", "失业保险金申领", "Unemployment benefit claim", ("employment", "social_security"),
     (G, P, D), 20, 10, ("id_card", "termination", "bank_card:1"), "unemployment",
     ("非因本人意愿中断就业", "失业前已缴纳失业保险费满一年", "已办理失业登记并有求职要求")),
    ("000201004", "rsj", "灵活就业人员参保登记", "Social insurance for flexible workers", ("employment", "social_security"),
     (G, P, D), 10, 3, ("id_card",), "flexible", ("本市户籍或持本市居住证", "无雇工的个体工商户或灵活就业人员")),
    ("000201005", "rsj", "职工退休申请", "Retirement application", ("social_security", "elderly"),
     (G, P), 30, 15, ("id_card:1", "hukou:1"), "", ("达到法定退休年龄", "累计缴费满十五年")),
    ("000201006", "rsj", "就业创业证申领", "Employment and entrepreneurship certificate", ("employment",),
     (G, P, D), 10, 5, ("id_card",), "card", ("法定劳动年龄内有就业要求的人员",)),
    ("000202001", "ybj", "城乡居民医疗保险参保登记", "Resident medical insurance enrolment", ("medical", "social_security"),
     (G, P, D), 10, 3, ("id_card", "household_register"), "enrol", ("本市户籍或持本市居住证的城乡居民",)),
    ("000202002", "ybj", "异地就医备案", "Registering medical treatment elsewhere", ("medical",),
     (G, P, D), 5, 1, ("id_card", "referral"), "travel", ("本市基本医疗保险参保人员",)),
    ("000202003", "ybj", "医保参保凭证打印", "Printing the medical insurance record", ("medical",),
     (G, R), 1, 0, ("id_card:1",), "", ("本市医疗保险参保人员",)),
    ("000101001", "gaj", "居民身份证换领", "Renewing the resident ID card", ("household",),
     (G, P), 60, 30, ("id_card:1", "hukou:1"), "", ("身份证有效期满或即将到期", "本市常住户口居民")),
    ("000101002", "gaj", "户籍证明开具", "Household registration certificate", ("household",),
     (G, P, R), 5, 1, ("id_card:1", "hukou:1"), "", ("本市常住户口居民",)),
    ("000101003", "gaj", "居住证申领", "Residence permit application", ("household", "housing"),
     (G, P, D), 15, 10, ("id_card", "residence"), "permit", ("在本市居住半年以上", "有合法稳定就业、住所或连续就读")),
    ("000101004", "gaj", "往来港澳通行证签注", "Endorsement for Hong Kong and Macao travel", ("household",),
     (G, P), 7, 5, ("id_card:1",), "", ("持有效往来港澳通行证",)),
    ("000101005", "gaj", "机动车驾驶证期满换证", "Renewing a driving licence", ("household",),
     (G, P), 1, 1, ("id_card:1", "photo:1"), "", ("驾驶证有效期满前九十日内",)),
    ("000105001", "zrzyj", "不动产登记信息查询", "Real estate register search", ("housing",),
     (G, R), 1, 0, ("id_card:1",), "", ("查询本人名下不动产登记信息",)),
    ("000105002", "zrzyj", "不动产抵押权登记", "Registering a mortgage", ("housing",),
     (G, P), 30, 5, ("id_card:1", "property:1"), "", ("已签订抵押合同",)),
    ("000105003", "zrzyj", "不动产转移登记", "Transfer of real estate", ("housing",),
     (G, P), 30, 5, ("id_card:1", "property:1"), "", ("已签订买卖或赠与合同", "已完税")),
    ("000104001", "gjj", "住房公积金缴存证明", "Housing provident fund contribution certificate", ("housing",),
     (G, R), 1, 0, ("id_card:1",), "", ("本市住房公积金缴存职工",)),
    ("000104002", "gjj", "住房公积金提取（租房）", "Provident fund withdrawal for rent", ("housing",),
     (G, P, D), 5, 3, ("id_card", "rental", "bank_card:1"), "fund_rent", ("本人及配偶在本市无自有住房且租房自住",)),
    ("000104003", "gjj", "住房公积金个人住房贷款申请", "Provident fund mortgage application", ("housing",),
     (G, P), 15, 10, ("id_card:1", "property:1"), "", ("连续足额缴存六个月以上",)),
    ("000107001", "mzj", "内地居民婚姻登记", "Marriage registration", ("marriage_birth",),
     (G,), 1, 0, ("id_card:1", "hukou:1", "photo:3"), "", ("男女双方共同到场", "达到法定婚龄")),
    ("000107002", "mzj", "高龄津贴申领", "Old-age allowance claim", ("elderly",),
     (G, P, D), 20, 10, ("id_card", "bank_card:1"), "allowance", ("本市户籍年满八十周岁的老年人",)),
    ("000107003", "mzj", "最低生活保障申请", "Minimum living allowance", ("elderly", "social_security"),
     (G, P), 30, 20, ("id_card:1", "hukou:1"), "", ("家庭人均收入低于本市低保标准",)),
    ("000108001", "wjw", "出生医学证明补发", "Re-issue of a birth certificate", ("marriage_birth",),
     (G, P), 20, 10, ("id_card:1", "hukou:1"), "", ("出生医学证明遗失",)),
    ("000108002", "wjw", "生育登记", "Birth registration", ("marriage_birth",),
     (G, P, D), 5, 1, ("id_card", "marriage"), "birth", ("夫妻一方为本市户籍或持本市居住证",)),
    ("000108003", "wjw", "预防接种证补办", "Replacement vaccination record", ("marriage_birth", "medical"),
     (G, P), 5, 3, ("id_card:1", "birth_cert:1"), "", ("预防接种证遗失或损毁",)),
    ("000301001", "scjgj", "个体工商户设立登记", "Registering a sole proprietorship", ("company_start",),
     (G, P, D), 15, 1, ("id_card", "premises"), "business", ("有经营能力的自然人",)),
    ("000301002", "scjgj", "企业名称自主申报", "Company name registration", ("company_start",),
     (G, P), 3, 1, ("id_card:1",), "", ("拟设立企业的投资人",)),
    ("000301003", "scjgj", "食品经营许可", "Food business licence", ("company_start",),
     (G, P), 20, 10, ("id_card:1", "premises:1"), "", ("已取得营业执照",)),
    ("000401001", "swj", "个人所得税纳税记录开具", "Individual income tax record", ("tax",),
     (G, R), 1, 0, ("id_card:1",), "", ("在本市有纳税记录的个人",)),
    ("000401002", "swj", "发票申领", "Applying for invoices", ("tax", "company_start"),
     (G, P), 5, 1, ("id_card:1",), "", ("已办理税务登记的纳税人",)),
    ("000501001", "jyj", "义务教育入学登记", "Compulsory school enrolment", ("education",),
     (G, P, D), 30, 15, ("household_register", "residence", "vaccination"), "school",
     ("适龄儿童少年的监护人", "户籍或居住地在本学区")),
]


def item_body(item: Item) -> dict[str, Any]:
    """One ``ITEMS`` row as the catalog stores it (the CONTENT_API item without code and pinyin)."""
    basic, dept, name, name_en, themes, functions, legal, promised, materials, form, conditions = item
    department_index = next(i for i, d in enumerate(DEPARTMENTS) if d[0] == dept) + 1
    mats = []
    for spec in materials:
        code, _, copies = spec.partition(":")
        title, original = MATERIALS[code]
        mats.append({"code": code, "name": title, "copies": int(copies or 1), "original": original,
                     "scan": not copies})
    floor = next(d[3] for d in DEPARTMENTS if d[0] == dept)
    return {
        "impl_code": f"{REGION}{department_index:02d}{basic}00",  # 行政区划 + 部门序号 + 基本编码 + 业务项 (≤24)
        "name": name, "name_en": name_en, "department": dept, "themes": list(themes),
        "conditions": list(conditions), "materials": mats, "fee": "不收费", "legal_days": legal,
        "promised_days": promised,
        "locations": [{"name": f"{HALL}{floor}", "address": ADDRESS, "windows": WINDOWS[dept],
                       "hours": "工作日 9:00-17:00（周六 9:00-12:00）", "phone": PHONE}],
        "online_url": ONLINE + basic, "functions": list(functions),
        "form": FORMS[form] if form and D in functions else [],
    }
