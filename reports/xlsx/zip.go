package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
)

// zipWriter stores the parts excelize writes in a fixed order
// ([Content_Types].xml first, then by name) with a fixed time, so that the
// same workbook always gives the same bytes: excelize writes the parts of
// streamed sheets in the order of a map, and archive/zip would stamp
// nothing or the time it is given. Each part is compressed as it comes and
// stored raw on Close.
type zipWriter struct {
	w        io.Writer
	modified time.Time
	parts    map[string]*part
	// excelize writes one part after another: one deflate writer serves
	// them all, each part finished when the next one is created.
	fw  *flate.Writer
	cur *part
}

type part struct {
	data bytes.Buffer // compressed
	crc  hash.Hash32
	size uint64
	fw   *flate.Writer // while it is being written
}

func (p *part) Write(b []byte) (int, error) {
	if p.fw == nil {
		return 0, errors.New("xlsx: write to a finished part")
	}
	p.crc.Write(b)
	p.size += uint64(len(b))
	return p.fw.Write(b)
}

func newZipWriter(modified time.Time) func(io.Writer) excelize.ZipWriter {
	// MS-DOS times start in 1980.
	if earliest := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC); modified.Before(earliest) {
		modified = earliest
	}
	return func(w io.Writer) excelize.ZipWriter {
		return &zipWriter{w: w, modified: modified.UTC(), parts: map[string]*part{}}
	}
}

// finish flushes the part being written.
func (z *zipWriter) finish() error {
	if z.cur == nil {
		return nil
	}
	err := z.fw.Close()
	z.cur.fw, z.cur = nil, nil
	return err
}

func (z *zipWriter) Create(name string) (io.Writer, error) {
	if _, ok := z.parts[name]; ok {
		return nil, errors.New("xlsx: duplicate part " + name)
	}
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &part{crc: crc32.NewIEEE()}
	switch {
	case z.fw != nil:
		z.fw.Reset(&p.data)
	default:
		if fw, ok := flaters.Get().(*flate.Writer); ok {
			fw.Reset(&p.data)
			z.fw = fw
			break
		}
		// The fastest level keeps a 1,000-task sheet's compression to a
		// few milliseconds.
		fw, err := flate.NewWriter(&p.data, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		z.fw = fw
	}
	p.fw = z.fw
	z.parts[name], z.cur = p, p
	return p, nil
}

// Deflate writers are large: reuse them.
var flaters sync.Pool

func (z *zipWriter) AddFS(fs.FS) error {
	return errors.New("xlsx: AddFS is not supported")
}

const contentTypes = "[Content_Types].xml"

func (z *zipWriter) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	if z.fw != nil {
		flaters.Put(z.fw)
		z.fw = nil
	}
	names := make([]string, 0, len(z.parts))
	for n := range z.parts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == contentTypes) != (names[j] == contentTypes) {
			return names[i] == contentTypes
		}
		return names[i] < names[j]
	})
	zw := zip.NewWriter(z.w)
	for _, n := range names {
		p := z.parts[n]
		fw, err := zw.CreateRaw(&zip.FileHeader{
			Name:               n,
			Method:             zip.Deflate,
			Modified:           z.modified,
			ModifiedDate:       dosDate(z.modified),
			ModifiedTime:       dosTime(z.modified),
			CRC32:              p.crc.Sum32(),
			CompressedSize64:   uint64(p.data.Len()),
			UncompressedSize64: p.size,
		})
		if err != nil {
			return err
		}
		if _, err := fw.Write(p.data.Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}

// dosDate and dosTime are t's MS-DOS date and time, which CreateRaw does
// not derive from Modified.
func dosDate(t time.Time) uint16 {
	return uint16((t.Year()-1980)<<9 | int(t.Month())<<5 | t.Day())
}

func dosTime(t time.Time) uint16 {
	return uint16(t.Hour()<<11 | t.Minute()<<5 | t.Second()/2)
}
