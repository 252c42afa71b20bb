// Package text is the one rule for every text that enters baocao (API
// bodies, web forms, imported spreadsheets, the command line's files):
// Clean normalises it, Drawable checks it against the font family that
// documents are set in. A character the font cannot draw is refused at
// the door; text stored before the rule (or a font swapped for another
// family) is repaired at render time by Replace, never a failed document.
//
// The rule (README, "Text at the door"):
//
//   - line breaks: CR LF, a lone CR, vertical tab, form feed, NEL (U+0085),
//     line and paragraph separators (U+2028, U+2029) become LF;
//   - a tab becomes a space; other spaces (en, em, thin, ideographic …)
//     become a space, a narrow no-break space a no-break space (U+00A0,
//     kept: it is drawn and keeps its words together);
//   - invisible format characters (Unicode category Cf: soft hyphen U+00AD,
//     zero-width space U+200B, zero-width (non-)joiner, word joiner, byte
//     order mark, direction marks) are removed: the typesetter neither
//     hyphenates nor uses break hints, and an invisible character would
//     make "Sở Nội vụ" differ from "Sở Nội vụ" (agency names, search);
//   - Word's non-breaking hyphen (U+2011, also U+001E) becomes "-", its
//     optional hyphen (U+001F) is removed;
//   - the result is in Unicode NFC;
//   - any other control character (C0, DEL, C1) is left in place, and
//     Drawable refuses it like any character the font cannot draw.
//
// Typographic characters pasted from Word (“ ” ‘ ’ – — • … € №) are kept:
// the embedded font draws them.
package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"baocao/fonts"
)

// Clean applies the rule above. It does not trim: callers trim where a
// field's leading and trailing space mean nothing.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == 0x202F:
			b.WriteRune(0xA0)
		case r == 0x2011 || r == 0x1E:
			b.WriteByte('-')
		case r == 0x1F:
		case r != ' ' && r != 0xA0 && unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// isClean is the fast path: plain ASCII without CR and tab, or text that
// needs nothing but is already NFC.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// QuickSpanString answers most NFC text without allocating
			// (IsNormalString allocates each time); it may stop short
			// of the end of normal text, which IsNormalString settles.
			return cleanRunes(s[i:]) && (norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s))
		}
		if c < 0x20 && c != '\n' {
			return false
		}
	}
	return true
}

func cleanRunes(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\n', r == 0x85, r == 0x2028, r == 0x2029, r == 0x202F, r == 0x2011:
			return false
		case r >= 0x80 && r != 0xA0 && (unicode.Is(unicode.Zs, r) || unicode.Is(unicode.Cf, r)):
			return false
		}
	}
	return true
}

// Drawable reports the first character of s that the family cannot draw
// (a control character counts as one), or ok when every one can. A line
// break is drawable; a tab or CR is not: Clean removes them first.
func Drawable(fam *fonts.Family, s string) (r rune, ok bool) {
	for _, r := range s {
		if !drawable(fam, r) {
			return r, false
		}
	}
	return 0, true
}

func drawable(fam *fonts.Family, r rune) bool {
	if r == '\n' {
		return true
	}
	return r >= 0x20 && (r < 0x7F || r > 0x9F) && fam.Covers(r)
}

// Describe names a character for a message: "😀" (U+1F600), or the code
// point alone for one that cannot be shown (a control character).
func Describe(r rune) string {
	if unicode.IsGraphic(r) {
		return fmt.Sprintf("%q (%U)", string(r), r)
	}
	return fmt.Sprintf("%U", r)
}

// Problem is the English problem text of a field holding r, for an API
// error: `contains "😀" (U+1F600), which the font Liberation Serif cannot draw`.
func Problem(fam *fonts.Family, r rune) string {
	if unicode.IsControl(r) {
		return fmt.Sprintf("contains the control character %U, which a document cannot print", r)
	}
	return fmt.Sprintf("contains %s, which the font %s cannot draw", Describe(r), fam.Name)
}

// ProblemVI is the same in Vietnamese, for the web pages.
func ProblemVI(r rune) string {
	if unicode.IsControl(r) {
		return fmt.Sprintf("Có ký tự điều khiển %U không in được trong văn bản; hãy xoá ký tự này.", r)
	}
	return fmt.Sprintf("Có ký tự “%s” (%U) mà phông chữ của văn bản không có, nên không in được (ví dụ biểu tượng cảm xúc, chữ Hán); hãy xoá hoặc thay ký tự này.", string(r), r)
}

// Replacement is the character drawn in place of one the family cannot
// draw: a white square "□" (U+25A1), or "?" for a family without it.
func Replacement(fam *fonts.Family) rune {
	if fam.Covers('□') {
		return '□'
	}
	return '?'
}

// Replace makes stored text printable: it cleans it and replaces every
// character the family still cannot draw with Replacement, returning the
// characters replaced (in order, repeated as they occur). Text that is
// already drawable comes back unchanged, without allocating.
func Replace(fam *fonts.Family, s string) (string, []rune) {
	if _, ok := Drawable(fam, s); ok {
		return s, nil
	}
	s = Clean(s)
	if _, ok := Drawable(fam, s); ok {
		return s, nil
	}
	rep := Replacement(fam)
	var gone []rune
	out := strings.Map(func(r rune) rune {
		if !drawable(fam, r) {
			gone = append(gone, r)
			return rep
		}
		return r
	}, s)
	return out, gone
}
