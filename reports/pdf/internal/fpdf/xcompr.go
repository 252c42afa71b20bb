// Copyright ©2021 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

import (
	"fmt"

	"github.com/klauspost/compress/zlib"
)

// zwPool keeps the zlib writers of page streams and ToUnicode maps.
var zwPool = newFreeList(func() *zlib.Writer {
	zw, err := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	if err != nil {
		panic(fmt.Errorf("could not create zlib writer: %w", err))
	}
	return zw
})
