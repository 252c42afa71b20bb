// Package agency holds what baocao knows about agencies' names apart from
// any database: the key that identifies a name, the rule that tells an
// agency's name from other text a plan writes in its agency columns, and a
// Directory of other spellings (aliases) of agencies' names. The store and
// the offline report ("baocao report --progress FILE") both use it.
package agency

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Key identifies an agency by its name: case and spacing do not matter,
// diacritics and punctuation do ("Sở Nội vụ" and "Sở  Nội Vụ" are one
// agency; "Đài Phát thanh Truyền hình tỉnh" and "Đài Phát thanh – Truyền
// hình tỉnh" are two spellings that only an alias makes one).
func Key(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(name))), " ")
}

// kinds are the kinds of body an agency's name starts with, lower case:
// the public bodies that plans name as lead or cooperating agencies.
var kinds = []string{
	"sở", "ban", "ủy ban", "uỷ ban", "ubnd", "hđnd", "hội đồng", "văn phòng", "báo", "đài", "hội",
	"liên đoàn", "liên minh", "công an", "bộ chỉ huy", "bộ", "bộ phận", "trường", "trung tâm",
	"phòng", "chi cục", "cục", "tổng cục", "vụ", "kho bạc", "ngân hàng", "bưu điện", "viện",
	"bệnh viện", "tòa án", "toà án", "thanh tra", "mặt trận", "đoàn", "tỉnh đoàn", "huyện đoàn",
	"thành đoàn", "tỉnh ủy", "tỉnh uỷ", "huyện ủy", "huyện uỷ", "thành ủy", "thành uỷ", "quận ủy",
	"quận uỷ", "đảng ủy", "đảng uỷ", "công ty", "tổng công ty", "tập đoàn", "chi nhánh",
	"bảo hiểm xã hội", "quỹ", "học viện", "đại học", "tạp chí", "thông tấn xã", "thư viện",
	"bảo tàng", "nhà văn hóa", "nhà văn hoá", "trạm", "hạt kiểm lâm", "đội", "kiểm toán",
}

// collective words: right after the kind they make the text a group of
// bodies ("UBND các huyện", "UBND cấp xã", "Sở, ban, ngành") rather than
// one.
var collective = map[string]bool{"các": true, "cấp": true, "những": true, "và": true, "mọi": true}

// IsName reports whether a text that a plan writes as a lead or
// cooperating agency names one agency. The rule: its first words are a
// kind of public body (Sở, Ban, Ủy ban/UBND, Văn phòng, Báo, Đài, Hội,
// Công an, Bộ Chỉ huy, Trường, Trung tâm, Phòng, Chi cục, Cục, Kho bạc,
// Ngân hàng, Bưu điện, Liên đoàn … see kinds), followed by at least one
// word that does not make it a group ("các", "cấp", "những", "và", "mọi").
// So "Sở Nội vụ", "UBND huyện Tây Sơn" and "Đài Phát thanh và truyền hình
// tỉnh" are agencies, while "Theo Kế hoạch của tỉnh", "Các Sở, ban, ngành
// tỉnh", "UBND các huyện, thành phố", "UBND cấp xã", "Thủ trưởng các cơ
// quan…", "Trưởng phòng chuyên môn…" and "Tổ công nghệ số cộng đồng" are
// not: they stay in the plan as written but are no agency of their own.
func IsName(text string) bool {
	words := strings.Fields(strings.ToLower(norm.NFC.String(text)))
	best := 0
	for _, k := range kinds {
		kw := strings.Fields(k)
		if len(kw) > best && len(words) > len(kw) && equalWords(words[:len(kw)], kw) {
			best = len(kw)
		}
	}
	return best > 0 && !collective[words[best]]
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Entry is an agency with its other spellings, as a progress file or the
// demo data declare it.
type Entry struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

// Directory maps the names and aliases of agencies to their canonical
// names. The zero Directory (or a nil one) knows no aliases: every name is
// its own canonical name.
type Directory struct {
	canon map[string]string // Key of a name or alias → canonical name
}

// NewDirectory builds a directory; a name or alias given twice (for two
// agencies, or an alias that is another agency's name) is an error naming
// the entry, as "agencies[1].aliases[0]".
func NewDirectory(entries []Entry) (*Directory, error) {
	d := &Directory{canon: map[string]string{}}
	where := map[string]string{}
	add := func(field, name, canon string) error {
		k := Key(name)
		if k == "" {
			return fmt.Errorf("%s: is empty", field)
		}
		if prev, ok := d.canon[k]; ok {
			if prev == canon {
				return nil // an alias written like its own name, or twice
			}
			return fmt.Errorf("%s: %q is already %s (%q)", field, name, where[k], prev)
		}
		d.canon[k], where[k] = canon, field
		return nil
	}
	for i, e := range entries {
		if err := add(fmt.Sprintf("agencies[%d].name", i), e.Name, e.Name); err != nil {
			return nil, err
		}
	}
	for i, e := range entries {
		for j, a := range e.Aliases {
			if err := add(fmt.Sprintf("agencies[%d].aliases[%d]", i, j), a, e.Name); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// Canonical returns the canonical name of an agency named by name or by one
// of its aliases; a name the directory does not know is returned as it is.
func (d *Directory) Canonical(name string) string {
	if d != nil {
		if c, ok := d.canon[Key(name)]; ok {
			return c
		}
	}
	return name
}

// Same reports whether two names name one agency.
func (d *Directory) Same(a, b string) bool { return Key(d.Canonical(a)) == Key(d.Canonical(b)) }

// Labelled is an agency to show in a list: its name and, to tell apart
// agencies of one name, its parent's name.
type Labelled struct {
	ID     int64
	Name   string
	Parent string // the parent agency's name; "" for none
}

// Labels gives each agency the label a list shows: its name, followed by
// its parent's name in brackets when another agency of the list has the
// same name ("Sở Nội vụ (Ủy ban nhân dân tỉnh Lai Châu)"). The labels are
// returned by id, and order sorts the list in Vietnamese alphabetical order
// of its labels (then by id).
func Labels(list []Labelled) map[int64]string {
	count := map[string]int{}
	for _, a := range list {
		count[Key(a.Name)]++
	}
	out := make(map[int64]string, len(list))
	for _, a := range list {
		l := a.Name
		if count[Key(a.Name)] > 1 && a.Parent != "" {
			l += " (" + a.Parent + ")"
		}
		out[a.ID] = l
	}
	return out
}

// SortByLabel sorts items in Vietnamese alphabetical order of their
// labels, then by id.
func SortByLabel[T any](items []T, label func(T) string, id func(T) int64) {
	col := collate.New(language.Vietnamese)
	sort.SliceStable(items, func(i, j int) bool {
		if c := col.CompareString(label(items[i]), label(items[j])); c != 0 {
			return c < 0
		}
		return id(items[i]) < id(items[j])
	})
}
