"""CATEGORY_SUSPECTED: a catalogue product listed under a category outside the catalogue.

Titles written as marketplace titles are. The suspected ones must go to review and name the
catalogue entry; the clearly non-key ones (books, accessories, food, furniture without
children, tea sets, pet goods ...) must stay NOT_KEY_PRODUCT: false reviews are measured too.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.domain import ListingDraft
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import MemoryRegistry
from listing_gate.rules.catalog import load_catalog
from listing_gate.rules.policy import load_policy
from listing_gate.rules.product_terms import load_product_terms
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio
TODAY = datetime(2026, 12, 15, 8, tzinfo=UTC)

SUSPECTED = [
    ("婴儿推车 可坐可躺 轻便折叠 伞车", "母婴用品", "2201"),
    ("学生修正带 大容量 小学生 改正带", "办公用品", "S03"),
    ("公牛插线板 5米 排插 多孔 家用", "家居日用", "0201"),
    ("65W氮化镓充电器 多口快充 苹果华为通用", "数码配件", "0807"),
    ("单人电热毯 宿舍 智能调温", "家居日用", "0719"),
    ("负离子电吹风 家用大功率 速干", "生活电器", "0709"),
    ("儿童安全座椅 0-12岁 汽车用 isofix接口", "汽车用品", "2207"),
    ("新国标电单车 48V 代步 长续航", "出行工具", "1119"),
    ("3C认证摩托车头盔 全盔 四季通用", "骑行装备", "1105"),
    ("嵌入式燃气灶 双灶 天然气 家用", "厨房电器", "2401"),
    ("60升储水式热水器 一级能效", "家装建材", "0706"),
    ("家用燃气报警器 天然气泄漏 探测", "安防监控", "P2405"),
    ("LED护眼台灯 学生宿舍 书桌", "照明灯饰", "1001"),
    ("智能电饭煲 4L 家用 预约", "厨房电器", "0718"),
    ("空气炸锅 家用 大容量 无油", "厨房电器", "0712"),
    ("破壁机 家用 加热 静音", "厨房电器", "0713"),
    ("电磁炉 家用 大功率 爆炒", "厨房电器", "0711"),
    ("变频空调 1.5匹 挂机 冷暖", "大家电", "0703"),
    ("滚筒洗衣机 10公斤 全自动", "大家电", "0705"),
    ("暖风机 浴室 小型 速热", "生活电器", "0707"),
    ("无线吸尘器 手持 大吸力", "生活电器", "0708"),
    ("电动剃须刀 男士 全身水洗", "个护电器", "0709"),
    ("挂烫机 家用 手持 蒸汽", "生活电器", "0710"),
    ("抽油烟机 侧吸式 家用 大吸力", "厨房电器", "0716"),
    ("养生壶 全自动 加厚玻璃 煮茶", "厨房电器", "0717"),
    ("即热式智能马桶盖 加热 冲洗", "卫浴用品", "P2403"),
    ("14英寸轻薄笔记本电脑 办公", "电脑整机", "0902"),
    ("27英寸电竞显示器 165Hz", "电脑外设", "0903"),
    ("家用小型喷墨打印机 彩色 无线", "办公设备", "0904"),
    ("5G全网通手机 大屏 长续航", "通讯", "1606"),
    ("20000毫安充电宝 自带线 快充", "数码配件", "0914"),
    ("18650锂电池 3.7V 大容量", "电子元件", "0915"),
    ("干粉灭火器 车载 家用 4kg", "消防安全", "1810"),
    ("独立式烟感报警器 家用 无线", "消防安全", "1801"),
    ("800x800客厅地砖 防滑 耐磨", "家装建材", "2102"),
    ("净味乳胶漆 白色 内墙 自刷", "家装建材", "P2406"),
    ("儿童积木 大颗粒 拼装 益智", "母婴用品", "2202"),
    ("毛绒玩具 公仔 玩偶 抱枕", "礼品", "2202"),
    ("学步鞋 宝宝 软底 春秋", "母婴用品", "S05"),
    ("儿童学习桌 可升降 书桌", "家具", "S04"),
    ("碎花连衣裙 女 夏 收腰", "女装", "S01"),
    ("纯棉T恤 男 短袖 宽松", "男装", "S01"),
    ("全棉床品四件套 1.8米", "家纺", "S01"),
    ("三级螺纹钢 HRB400 12mm", "五金建材", "L01"),
    ("普通硅酸盐水泥 P.O42.5 50kg", "五金建材", "L02"),
    ("国标铜芯电线 BV2.5平方 100米", "五金电工", "0105"),
    ("空气开关 家用 2P 断路器", "五金电工", "0302"),
    ("锂电钻 家用 充电式 手电钻", "五金工具", "0501"),
    ("角磨机 多功能 切割 打磨", "五金工具", "0503"),
    ("家用小型电焊机 220V 便携", "五金工具", "0603"),
    ("多层胶合板 18mm 家具板", "建材", "L13"),
    ("一次性餐盒 打包盒 外卖 加厚", "厨房用品", "L10"),
    ("复合肥 农用 通用型 40kg", "农资", "L09"),
    ("点钞机 银行专用 验钞机", "办公设备", "L04"),
    ("电动平衡车 儿童 成人 双轮", "运动户外", "S08"),
    ("燃气软管 天然气 不锈钢 1.5米", "厨房用品", "P2408"),
    ("恒温燃气热水器 16升 天然气", "家装建材", "2402"),
    ("燃气壁挂炉 采暖 两用", "家装建材", "2403"),
    ("防爆LED灯 工厂 仓库 100W", "工业照明", "P2407"),
    ("行车记录仪 高清 夜视 前后双录", "汽车用品", "1117"),
    ("汽车后视镜 左侧 电动折叠", "汽车配件", "1110"),
    ("汽车轮胎 205/55R16 静音", "汽车配件", "1201"),
    ("刹车片 前片 陶瓷 适用大众", "汽车配件", "1120"),
    ("电动车充电器 48V 智能 自动断电", "骑行装备", "1122"),
    ("电动车锂电池 48V 20Ah", "骑行装备", "1121"),
    ("电动车头盔 3C认证 国标 男女", "骑行装备", "P2404"),
    ("空调被 夏季 薄款 双人", "家纺", "S01"),
    ("拖拉机玩具 工程车 男孩", "玩具乐器", "2202"),
    ("小米电视 65英寸 4K", "大家电", "0808"),
    ("极米投影仪 家用 高清", "影音电器", "0808"),
    ("南极人 男士内裤 4条装", "男士内衣", "S01"),
    ("华为Mate60 Pro 手机 5G", "通讯", "1606"),
]

NOT_KEY = [
    ("《三体》全集 刘慈欣 科幻小说 正版书籍", "图书"),
    ("《空调维修从入门到精通》 家电维修书", "图书"),
    ("纯银耳钉 女 简约 气质耳环", "饰品"),
    ("925银项链 锁骨链 女", "饰品"),
    ("复古胸针 高级感 西装配饰", "配饰"),
    ("偏光太阳镜 男 开车墨镜", "眼镜"),
    ("石英手表 女 简约 防水", "手表"),
    ("头层牛皮皮带 男 自动扣", "皮具"),
    ("发夹 抓夹 大号 鲨鱼夹", "发饰"),
    ("冰箱贴 磁贴 创意 卡通", "家居饰品"),
    ("电视柜 现代简约 小户型 客厅", "家具"),
    ("实木餐桌 北欧 家用", "家具"),
    ("人体工学办公椅 电脑椅 家用", "家具"),
    ("金属床头柜 简约 卧室", "家具"),
    ("台式电脑桌 家用 卧室 书桌", "家具"),
    ("景德镇陶瓷功夫茶具套装 盖碗公道杯6件套", "茶具"),
    ("宜兴紫砂壶 手工 原矿", "茶具"),
    ("成猫粮 全价 10kg", "宠物食品"),
    ("狗粮 小型犬 通用型 5斤", "宠物食品"),
    ("宠物玩具 磨牙 耐咬 狗狗", "宠物用品"),
    ("逗猫棒 羽毛 铃铛 自嗨", "宠物用品"),
    ("猫咪饮水机 自动循环 静音", "宠物用品"),
    ("不锈钢宠物碗 防滑双碗", "宠物用品"),
    ("每日坚果 混合 30包", "休闲食品"),
    ("新疆红枣 特级 2斤", "休闲食品"),
    ("云南普洱茶 熟茶 饼茶 357g", "茶叶"),
    ("五常大米 10斤 新米", "粮油"),
    ("适用iPhone15手机壳 磁吸透明防摔保护套", "数码配件"),
    ("空调遥控器 适用格力美的 万能", "家电配件"),
    ("不粘炒锅 燃气灶电磁炉通用 家用", "厨具"),
    ("遥控器 适用格力空调", "家电配件"),
    ("汽车香水 车载香薰 摆件", "汽车用品"),
    ("汽车脚垫 全包围 丝圈", "汽车用品"),
    ("电动车挡风被 冬季 加厚 防水", "骑行用品"),
    ("头盔贴纸 个性 反光", "骑行用品"),
    ("洗衣机清洁剂 除垢 杀菌", "清洁用品"),
    ("油烟机清洗剂 强力去油污", "清洁用品"),
    ("空气炸锅专用纸 吸油纸 50张", "烘焙用品"),
    ("笔记本电脑包 14寸 手提", "箱包"),
    ("瑜伽垫 加厚 防滑", "运动"),
    ("羽毛球拍 全碳素 超轻", "运动"),
    ("不锈钢保温杯 大容量 男女", "水杯"),
    ("口红 丝绒雾面 持久", "彩妆"),
    ("水泥花盆 多肉 简约", "园艺"),
    ("橡皮筋 发圈 黑色 100个", "发饰"),
    ("1:18合金汽车模型 收藏摆件", "收藏"),
    ("钥匙扣 创意 情侣 挂件", "饰品"),
    ("装饰画 客厅 沙发背景墙", "家居饰品"),
    ("电线收纳盒 插排整理", "收纳"),
    ("加湿器 家用 静音 卧室", "生活电器"),
    ("蓝牙耳机 无线 运动", "数码"),
    ("机械键盘 有线 电竞", "电脑外设"),
    ("手机平板支架 桌面 懒人", "数码配件"),
    ("充电宝收纳包 数据线耳机整理袋 便携", "收纳整理"),
    ("手机钢化膜 防窥 全屏", "数码配件"),
    ("iPad手写笔 电容笔 防误触", "数码配件"),
    ("车载充电器 快充 一拖三", "汽车用品"),
    ("汽车坐垫 四季通用", "汽车用品"),
    ("电视架 落地 移动", "家具"),
]


def listing(name: str, category: str) -> ListingDraft:
    """A draft with only a name and a category: nothing else can make it suspect."""
    return ListingDraft.model_validate(
        {
            "listing_id": "sku-1",
            "seller": {"id": "shop-1"},
            "product": {"name": name, "category": category},
        }
    )


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    """A verifier deciding on TODAY over empty registries."""
    lookup = RegistryLookup(MemoryRegistry(), settings=Settings(), clock=lambda: TODAY)
    return Verifier.from_lookup(lookup, clock=lambda: TODAY)


def test_the_tables_are_large_enough() -> None:
    """At least 40 titles each way, so a false review or a false allow shows."""
    assert len(SUSPECTED) >= 40
    assert len(NOT_KEY) >= 40


@pytest.mark.parametrize(("name", "category", "code"), SUSPECTED)
async def test_a_catalogue_product_named_in_the_title_is_suspected(
    verifier: Verifier, name: str, category: str, code: str
) -> None:
    """The listing goes to review, and the finding names the catalogue entry."""
    v = await verifier.verify(listing(name, category))
    assert (v.decision, [r.code for r in v.reasons]) == ("review", ["CATEGORY_SUSPECTED"])
    assert (v.reasons[0].registry_value or "").split()[0] == code


@pytest.mark.parametrize(("name", "category"), NOT_KEY)
async def test_a_clearly_non_key_title_is_not_suspected(
    verifier: Verifier, name: str, category: str
) -> None:
    """Books, accessories, food, furniture, tea sets and pet goods stay NOT_KEY_PRODUCT."""
    v = await verifier.verify(listing(name, category))
    assert (v.decision, [r.code for r in v.reasons]) == ("allow", ["NOT_KEY_PRODUCT"])


_FINDER = load_product_terms()
_RULES = load_policy().rules
_CATALOG = load_catalog().on(date(2026, 12, 15))


def _named(name: str) -> str | None:
    found = _FINDER.named_product(_CATALOG, name.lower(), _RULES)
    return found[1].code if found else None


@given(st.sampled_from(NOT_KEY), st.sampled_from(SUSPECTED))
def test_unrelated_words_never_hide_a_product(
    plain: tuple[str, str], suspected: tuple[str, str, str]
) -> None:
    """A non-key title written before or after a suspected one leaves it suspected."""
    assert _named(f"{plain[0]} {suspected[0]}") is not None
    assert _named(f"{suspected[0]} {plain[0]}") is not None


@given(st.lists(st.sampled_from(NOT_KEY), min_size=1, max_size=3))
def test_non_key_titles_together_stay_non_key(titles: list[tuple[str, str]]) -> None:
    """Joining clearly non-key titles with spaces names no catalogue product."""
    assert _named(" ".join(name for name, _ in titles)) is None


@given(st.sampled_from(SUSPECTED), st.sampled_from(["", " ", "\u3000"]))
def test_width_and_padding_do_not_change_the_suspicion(
    suspected: tuple[str, str, str], pad: str
) -> None:
    """Full-width letters and digits and padding name the same entry (the name is folded)."""
    name = suspected[0]
    wide = name.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    draft = listing(f"{pad}{wide}{pad}", suspected[1])
    from listing_gate.rules.draft import normalize_draft  # noqa: PLC0415  (one test only)

    folded = normalize_draft(draft, _RULES.placeholders).folded_name()
    assert _named(folded) == _named(name) == suspected[2]


def _shipped_terms() -> dict[str, dict[str, list[str]]]:
    text = resources.files("listing_gate.data").joinpath("product_terms.json").read_text("utf-8")
    terms: dict[str, dict[str, list[str]]] = json.loads(text)["codes"]
    return terms


def test_every_catalogue_entry_has_product_terms() -> None:
    """Each of the catalogue's codes has words of its own, and no code is unknown."""
    codes = {entry.code for entry in load_catalog().entries}
    shipped = _shipped_terms()
    assert set(shipped) == codes
    assert all(spec["terms"] for spec in shipped.values())


def test_a_term_names_one_catalogue_entry() -> None:
    """No word is a term of two codes, nor repeats a catalogue name or alias."""
    owner: dict[str, str] = {}
    for entry in load_catalog().entries:
        for term in (entry.name, *entry.aliases):
            owner.setdefault(term.lower(), entry.code)
    for code, spec in _shipped_terms().items():
        for term in spec["terms"]:
            assert term == term.lower(), term
            assert owner.setdefault(term, code) == code, (term, code, owner[term])
            assert term not in {t.lower() for t in spec.get("not", ())}, term
