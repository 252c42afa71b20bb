package doc

// Kind is a document kind (tên loại) with its Decree-30 abbreviation.
type Kind struct {
	Abbr string // KH
	Name string // Kế hoạch
}

// Kinds lists the kinds of Decree 30, Appendix III, by abbreviation.
var Kinds = map[string]Kind{}

func init() {
	for _, k := range []Kind{
		{"NQ", "Nghị quyết"}, {"QĐ", "Quyết định"}, {"CT", "Chỉ thị"}, {"QC", "Quy chế"},
		{"QyĐ", "Quy định"}, {"TC", "Thông cáo"}, {"TB", "Thông báo"}, {"HD", "Hướng dẫn"},
		{"CTr", "Chương trình"}, {"KH", "Kế hoạch"}, {"PA", "Phương án"}, {"ĐA", "Đề án"},
		{"DA", "Dự án"}, {"BC", "Báo cáo"}, {"BB", "Biên bản"}, {"TTr", "Tờ trình"},
		{"HĐ", "Hợp đồng"}, {"CĐ", "Công điện"}, {"BGN", "Bản ghi nhớ"}, {"BTT", "Bản thỏa thuận"},
		{"GUQ", "Giấy ủy quyền"}, {"GM", "Giấy mời"}, {"GGT", "Giấy giới thiệu"},
		{"GNP", "Giấy nghỉ phép"}, {"PG", "Phiếu gửi"}, {"PC", "Phiếu chuyển"}, {"PB", "Phiếu báo"},
		{KindLetter, "Công văn"},
	} {
		Kinds[k.Abbr] = k
	}
}

// KindLetter is the công văn (Decree 30, App. III, Mẫu 1.1). It has no
// abbreviation of its own: "CV" names it in the model and in the
// numbering (a công văn has a sequence of its own), but its symbol is the
// agency's with the drafting unit's ("12/UBND-VX"), it prints no kind
// name, and its summary is the "V/v …" line under the number.
const KindLetter = "CV"

// IsLetter reports whether the document is a công văn.
func (d *Document) IsLetter() bool { return d.Kind == KindLetter }

// KindOf returns the kind with the given abbreviation.
func KindOf(abbr string) (Kind, bool) {
	k, ok := Kinds[abbr]
	return k, ok
}
