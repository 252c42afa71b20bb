// Package layout holds the layout choices of Decree 30/2020/NĐ-CP, Appendix
// I, that every renderer of a document follows (README: "Layout choices"):
// page sizes and margins, type sizes, spacing, the header's columns and the
// fixed lines of the header and the closing. The PDF and the DOCX renderers
// read them from here, so a choice is written once; each renderer only
// turns them into its own units.
package layout

import (
	"strings"
	"unicode"
)

// Page geometry in mm.
const (
	PageW, PageH = 210.0, 297.0
	// Portrait pages: top 20, bottom 20, left 30, right 15.
	PortraitTop, PortraitBottom, PortraitLeft, PortraitRight = 20.0, 20.0, 30.0, 15.0
	// Landscape table pages: top 20, bottom 15, left 20, right 15.
	LandscapeTop, LandscapeBottom, LandscapeLeft, LandscapeRight = 20.0, 15.0, 20.0, 15.0
	// PageNumberY is the top of the page number, centred in the top
	// margin, from a section's page 2.
	PageNumberY = 12.0
)

// Margins are the top, bottom, left and right margins of a page in mm.
func Margins(landscape bool) (top, bottom, left, right float64) {
	if landscape {
		return LandscapeTop, LandscapeBottom, LandscapeLeft, LandscapeRight
	}
	return PortraitTop, PortraitBottom, PortraitLeft, PortraitRight
}

// TextWidth is the width between the margins in mm.
func TextWidth(landscape bool) float64 {
	_, _, l, r := Margins(landscape)
	if landscape {
		return PageH - l - r
	}
	return PageW - l - r
}

// Type sizes in points, within Decree 30's ranges.
const (
	SizeAgency     = 12.5 // parent and issuing agency (12–13)
	SizeNational   = 12   // Quốc hiệu (12–13)
	SizeMotto      = 13.5 // Tiêu ngữ (13–14)
	SizeNumber     = 13   // Số: … (13)
	SizeDate       = 14   // place and date (13–14)
	SizeKind       = 14   // KẾ HOẠCH (13–14)
	SizeBody       = 14   // body (13–14)
	SizeRecipients = 12   // "Nơi nhận:" (12)
	SizeRecipItems = 11   // recipient items (11)
	SizeSigner     = 14   // authority and signer (13–14)
	SizeStamp      = 10   // number and date on a separate appendix (10)
	SizeSubject    = 12   // a công văn's "V/v …" line (12–13)
	SizePageNumber = 13   // page numbers (13–14)
	SizeTable      = 12   // table cells and header
	SizeHeading    = 14   // PHỤ LỤC, its title and the "Kèm theo" line
)

// Spacing.
const (
	// BodyIndent is the first-line indent of body paragraphs, mm (1.27 cm).
	BodyIndent = 12.7
	// ParaSpacing is the space between body paragraphs, pt.
	ParaSpacing = 6.0
	// BodyLeading is the body's line height over its font size: between
	// single and 1.5.
	BodyLeading = 1.25
	// HeaderLeading is the line height of the header's lines over their
	// size; TitleLeading the kind's and the title's.
	HeaderLeading = 1.15
	TitleLeading  = 1.2
	// ClosingSpace is the blank above "Nơi nhận" and the signature, pt
	// (Mẫu 1.4: 28 pt).
	ClosingSpace = 20.0
	// SignSpace is the room for the signature and the seal between the
	// authority lines and the signer's name, mm.
	SignSpace = 25.0
	// TableLeading is a table cell's line height over its size; cell
	// padding in mm.
	TableLeading     = 1.2
	CellPadH         = 1.5
	CellPadV         = 1.2
	CellParaGap      = 1.0 // mm between paragraphs of a cell
	ListLevelIndent  = 5.0 // mm per list level below the first, in the body
	RuleMin          = 25.0
	TitleWidth       = 0.9  // the title is set in this share of the text width, centred
	AppendixHeadWide = 0.85 // the appendix's title block likewise
)

// Gaps of the header and title blocks, mm.
const (
	AgencyRuleGap  = 0.8 // the rule under the issuing agency, under its last line
	MottoRuleGap   = 2.2 // the rule under the Tiêu ngữ, under its line (about 10 pt under the baseline)
	NumberLineGap  = 4.0 // "Số: …" and the date, under the lower of the two columns
	HeaderAfter    = 8.0 // the kind, under the number and date
	TitleRuleGap   = 1.5 // the rule under the title (and an appendix's title block)
	TitleAfter     = 8.0 // what follows the rule under the title
	AppendixAfter  = 6.0 // the appendix table, under its title block's rule
	DraftMarkSpace = 4.0 // the draft mark's frame: this much wider than the words
	// SubjectGap: a công văn's "V/v …" line, centred under the number in
	// the agency column (Mẫu 1.1), this far under the number's line; the
	// body then starts HeaderAfter under it, as a công văn has no kind
	// line nor centred title (doc.Document.SubjectLine).
	SubjectGap = 1.0
)

// Header columns as in Mẫu 1.4: the agency column centred at 18.6 % of the
// text width, the national column at 72.6 %; "Nơi nhận" takes the left 40 %
// of the closing, the signature the national column.
const (
	AgencyCentre    = 0.186
	NationalCentre  = 0.726
	RecipientsShare = 0.4
	// Several addressees go one a line under "Kính gửi:", which starts at
	// this share of the text width, AddresseeGap mm after it (Mẫu 1.5).
	AddresseesAt = 0.2
	AddresseeGap = 2.0
)

// Columns returns the left (agency) and right (national) header columns of
// a text width tw as offsets from the left margin and widths.
func Columns(tw float64) (lx, lw, rx, rw float64) {
	lc, rc := tw*AgencyCentre, tw*NationalCentre
	lw = 2 * lc
	rw = 2 * (tw - rc)
	return 0, lw, rc - rw/2, rw
}

// AgencyRule is the rule under the issuing agency: a third of its widest
// line (App. I II.2(b): a third to a half).
func AgencyRule(widest float64) float64 { return widest / 3 }

// TitleRule is the rule under the title (and under an appendix's title
// block): a third of the longest line, RuleMin mm at least.
func TitleRule(widest float64) float64 { return max(widest/3, RuleMin) }

// The fixed lines of every document.
const (
	National        = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	Motto           = "Độc lập - Tự do - Hạnh phúc"
	DraftMark       = "DỰ THẢO"
	RecipientsLabel = "Nơi nhận:"
)

// PtToMM converts points to millimetres.
const PtToMM = 25.4 / 72

// CentredHeading reports whether a body heading is centred: a "## "
// heading that does not start with a Roman numeral and a dot
// ("QUYẾT ĐỊNH:", "Phần I", "Chương I"); "I. MỤC ĐÍCH" and the lower
// levels are set flush with the paragraphs, bold (level 4 and below also
// italic).
func CentredHeading(level int, text string) bool {
	return level == 2 && !romanHeading(text)
}

func romanHeading(s string) bool {
	i := strings.IndexByte(s, '.')
	if i <= 0 || i > 6 {
		return false
	}
	return strings.Trim(s[:i], "IVXLC") == ""
}

// Balance breaks one line of plain text to a width into balanced lines: as
// many as filling each line would give, the longest as short as it can be
// ("ỦY BAN NHÂN DÂN / HUYỆN TÂY SƠN", not "ỦY BAN NHÂN DÂN HUYỆN / TÂY
// SƠN"). measure gives a text's width in the unit of width. Header lines
// and, in renderers that leave breaking to the reader (DOCX), titles are
// broken so.
func Balance(s string, width float64, measure func(string) float64) []string {
	return BalanceWords(strings.Fields(s), width, measure)
}

// BalanceWords is Balance of the words given, each kept whole: a word may
// be a run of words a line may not break inside (see Glue and Phrases).
func BalanceWords(words []string, width float64, measure func(string) float64) []string {
	s := strings.Join(words, " ")
	if measure(s) <= width {
		return []string{s}
	}
	fill := func(width float64) []string {
		var out []string
		cur := ""
		for _, word := range words {
			try := strings.TrimSpace(cur + " " + word)
			if cur != "" && measure(try) > width {
				out = append(out, cur)
				cur = word
				continue
			}
			cur = try
		}
		return append(out, cur)
	}
	out := fill(width)
	lo, hi := 0.0, width
	for _, word := range words {
		lo = max(lo, measure(word))
	}
	for lo < hi && hi-lo > 0.05 {
		mid := (lo + hi) / 2
		if len(fill(mid)) <= len(out) {
			hi = mid
		} else {
			lo = mid
		}
	}
	if hi < width {
		return fill(hi)
	}
	return out
}

// Glue calls glue(i) for each word i of a paragraph's n words that a line
// may not break before: on both sides of a dash between two words ("2016 -
// 2020", "chính trị - xã hội"; after a list marker "-"), and inside a date
// in words, "ngày 05 tháng 3 năm 2024" (or a draft's "ngày      tháng
// năm 2024"). word(i) says whether item i is a word (not a forced line
// break), text(i) is its text.
func Glue(n int, word func(i int) bool, text func(i int) string, glue func(i int)) {
	isWord := func(i int) bool { return i >= 0 && i < n && word(i) }
	eq := func(i int, s string) bool {
		t := text(i)
		return len(t) <= len(s)+1 && strings.EqualFold(t, s)
	}
	for i := 0; i < n; i++ {
		if !isWord(i) {
			continue
		}
		t := text(i)
		if len(t) > 6 {
			continue
		}
		switch {
		case IsDash(t):
			if isWord(i - 1) {
				glue(i)
			}
			if isWord(i + 1) {
				glue(i + 1)
			}
		case strings.EqualFold(t, "ngày"):
			// ngày [d] tháng [m] năm y
			j := i + 1
			if isWord(j) && !eq(j, "tháng") {
				j++
			}
			if !isWord(j) || !eq(j, "tháng") {
				continue
			}
			j++
			if isWord(j) && !eq(j, "năm") {
				j++
			}
			if !isWord(j) || !eq(j, "năm") || !isWord(j+1) {
				continue
			}
			for k := i + 1; k <= j+1; k++ {
				glue(k)
			}
		}
	}
}

// IsDash reports whether a word is a dash.
func IsDash(s string) bool { return s == "-" || s == "–" || s == "—" }

// phrases are words of two or more syllables that a centred title keeps
// on one line ("cải cách hành / chính" reads badly), lower case.
var phrases = map[string][][]string{} // by first syllable

func init() { // a small table: parsed once, at start
	for _, p := range strings.Split("cải cách hành chính|cải cách|hành chính|nhà nước|tuyên truyền|công tác|kế hoạch|"+
		"thực hiện|nhiệm vụ|kết quả|cơ quan|đơn vị|chính quyền|chuyển đổi số|chuyển đổi|kinh tế|xã hội|chính trị|"+
		"ủy ban nhân dân|uỷ ban nhân dân|ủy ban|uỷ ban|nhân dân|phụ lục|báo cáo|giai đoạn|tỉnh ủy|huyện ủy|thành phố|thị xã|"+
		"phó chủ tịch|chủ tịch|văn phòng|công thương|nội vụ|thông tin|truyền thông|quyết định|ban hành|đầu năm|cuối năm|"+
		"pháp luật|phổ biến|giáo dục|dịch vụ công|dịch vụ|trực tuyến|đề án|chương trình|hội đồng|mặt trận tổ quốc|"+
		"địa bàn|triển khai|tổ chức", "|") {
		ws := strings.Fields(p)
		phrases[ws[0]] = append(phrases[ws[0]], ws)
	}
}

// Phrases calls glue(i) for each word i of a centred paragraph's n words
// (a title) that a line should not break before: inside a word of the
// phrases list (the longest that matches), inside a name ("Lai Châu", "Hồ
// Quốc Dũng": capitalised words after a first one), and between "năm",
// "tháng", "ngày", "quý" and the number after it or a number and "tháng"
// ("6 tháng"). word and text are as for Glue.
func Phrases(n int, word func(i int) bool, text func(i int) string, glue func(i int)) {
	low := make([]string, n) // each word, lower case, without punctuation at its ends
	texts := make([]string, n)
	for i := range n {
		if word(i) {
			texts[i] = strings.Trim(text(i), ".,;:()\"“”")
			low[i] = strings.ToLower(texts[i])
		}
	}
	for i := 0; i < n; i++ {
		for _, ph := range phrases[low[i]] {
			if i+len(ph) > n {
				continue
			}
			ok := true
			for k, w := range ph {
				if low[i+k] != w {
					ok = false
					break
				}
			}
			if ok {
				for k := 1; k < len(ph); k++ {
					glue(i + k)
				}
				break // the list has the longest first
			}
		}
		if i == 0 || low[i] == "" || low[i-1] == "" {
			continue
		}
		prev, lp, cur := texts[i-1], low[i-1], texts[i]
		switch {
		case i >= 2 && titleCase(prev) && titleCase(cur) && low[i-2] != "":
			glue(i)
		case (lp == "năm" || lp == "tháng" || lp == "ngày" || lp == "quý") && number(cur):
			glue(i)
		case number(prev) && low[i] == "tháng":
			glue(i)
		}
	}
}

// titleCase: a capital and then small letters ("Châu", not "UBND").
func titleCase(s string) bool {
	for i, r := range s {
		if i == 0 {
			if !unicode.IsUpper(r) {
				return false
			}
		} else if !unicode.IsLower(r) {
			return false
		}
	}
	return s != ""
}

// number: digits, or a Roman numeral ("Quý II").
func number(s string) bool {
	if strings.Trim(s, "0123456789/") == "" || strings.Trim(s, "IVX") == "" {
		return s != ""
	}
	return false
}
