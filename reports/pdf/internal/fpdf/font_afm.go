// Copyright ©2025 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

import (
	"bufio"
)

type afmParser struct {
	s    *bufio.Scanner
	err  error
	line int
	toks []string

	wdmap map[string]int
}
