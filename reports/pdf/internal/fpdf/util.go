// Copyright ©2023 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

/*
 * Copyright (c) 2013 Kurt Jung (Gmail: kurt.w.jung)
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

package fpdf

import (
	"math"
	"strconv"
	"strings"
)

func must(n int, err error) {
	if err != nil {
		panic(err)
	}
}

func round(f float64) int {
	if f < 0 {
		return -int(math.Floor(-f + 0.5))
	}
	return int(math.Floor(f + 0.5))
}

// utf8toutf16 converts UTF-8 to UTF-16BE; from http://www.fpdf.org/
func utf8toutf16(s string, withBOM ...bool) string {
	bom := true
	if len(withBOM) > 0 {
		bom = withBOM[0]
	}
	res := make([]byte, 0, 8)
	if bom {
		res = append(res, 0xFE, 0xFF)
	}
	nb := len(s)
	i := 0
	for i < nb {
		c1 := byte(s[i])
		i++
		switch {
		case c1 >= 224:
			// 3-byte character
			c2 := byte(s[i])
			i++
			c3 := byte(s[i])
			i++
			res = append(res, ((c1&0x0F)<<4)+((c2&0x3C)>>2),
				((c2&0x03)<<6)+(c3&0x3F))
		case c1 >= 192:
			// 2-byte character
			c2 := byte(s[i])
			i++
			res = append(res, ((c1 & 0x1C) >> 2),
				((c1&0x03)<<6)+(c2&0x3F))
		default:
			// Single-byte character
			res = append(res, 0, c1)
		}
	}
	return string(res)
}

// Condition font family string to PDF name compliance. See section 5.3 (Names)
// in https://resources.infosecinstitute.com/pdf-file-format-basic-structure/
func fontFamilyEscape(familyStr string) (escStr string) {
	escStr = strings.Replace(familyStr, " ", "#20", -1)
	// Additional replacements can take place here
	return
}

// appendFixed appends v formatted as strconv.AppendFloat(b, v, 'f', prec,
// 64) does, the same bytes, without its general algorithm for the numbers
// a page is made of: when v scaled by 10^prec is below 10^15 and not within
// 10^-6 of a half (where the binary value's exact decimal expansion
// could round the other way), the scaled value rounded is the answer.
// Anything else goes to strconv. baocao: new (strconv was 8% of a long
// table's time).
func appendFixed(b []byte, v float64, prec int) []byte {
	n, ok := scaledFixed(v, prec)
	if !ok {
		return strconv.AppendFloat(b, v, 'f', prec, 64)
	}
	if math.Signbit(v) {
		b = append(b, '-')
	}
	var digits [24]byte
	i := len(digits)
	for k := 0; k < prec; k++ {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	if prec > 0 {
		i--
		digits[i] = '.'
	}
	for {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, digits[i:]...)
}

// scaledFixed is |v| rounded to prec digits after the point, times
// 10^prec, as appendFixed writes it; ok is false where only strconv can
// tell (see appendFixed).
func scaledFixed(v float64, prec int) (n uint64, ok bool) {
	if prec < 0 || prec > 6 {
		return 0, false
	}
	s := math.Abs(v) * pow10[prec]
	if !(s < 1e15) { // also NaN
		return 0, false
	}
	fl := math.Floor(s)
	frac := s - fl
	if math.Abs(frac-0.5) < 1e-6 || (s > 1e9 && math.Abs(frac-0.5) < 1e-6*s/1e9) {
		return 0, false
	}
	n = uint64(fl)
	if frac > 0.5 {
		n++
	}
	return n, true
}

var pow10 = [...]float64{1, 10, 100, 1000, 1e4, 1e5, 1e6}
