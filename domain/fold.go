package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold makes the search key of a text: lower case, without tone marks or
// other diacritics, đ as d, spaces collapsed, so that "tuyen truyen" finds
// "tuyên truyền".
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.NewReplacer("đ", "d", "Đ", "d").Replace(strings.ToLower(out))
	return strings.Join(strings.Fields(out), " ")
}
