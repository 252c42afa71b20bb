package doc

import (
	"strings"
	"unicode"
)

// ValidSymbol reports whether s is made as a document symbol is (Decree
// 30/2020/NĐ-CP, Art. 15): letters (Vietnamese capitals such as Đ
// included) and digits, in parts joined by single hyphens: "UBND", "SNV",
// "KH-UBND", "QĐ-UBND", "BC-SNV". Nothing else — no space, "/", ".",
// punctuation or control character — so that "Số: 15/KH-UBND" prints
// only a symbol.
func ValidSymbol(s string) bool {
	if s == "" {
		return false
	}
	for part := range strings.SplitSeq(s, "-") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

// SymbolProblem is the problem of a symbol ValidSymbol refuses, in
// Vietnamese and English.
const SymbolProblem = "ký hiệu chỉ gồm chữ cái, chữ số và dấu gạch nối (vd. KH-UBND, QĐ-UBND) / " +
	`must be letters and digits joined by single hyphens, e.g. "KH-UBND", "QĐ-UBND"`
