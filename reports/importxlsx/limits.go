package importxlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"strings"
)

// The limits of an import (README: "Importing a task table"). A file that
// exceeds one is refused as a whole with a *FileError before, or while,
// it is read: nothing in it is trusted, neither the sizes its zip
// directory declares nor the sizes of the cells it holds.
const (
	// MaxFileBytes bounds the XLSX file itself.
	MaxFileBytes = 32 << 20
	// MaxEntries bounds the parts (zip entries) of the file.
	MaxEntries = 1000
	// MaxSheetBytes bounds one worksheet or the shared-string table,
	// unpacked (a 20 000-task appendix written by baocao is 17 MB).
	MaxSheetBytes = 64 << 20
	// MaxPartBytes bounds any other part, unpacked.
	MaxPartBytes = 4 << 20
	// MaxOtherBytes bounds all other parts together, unpacked.
	MaxOtherBytes = 16 << 20
	// MaxTotalBytes bounds the whole file, unpacked.
	MaxTotalBytes = 128 << 20
	// MaxRatio bounds how much a part larger than 1 MB may unpack to
	// per byte stored (XML usually packs 5 to 20 times).
	MaxRatio   = 100
	ratioGrace = 1 << 20
	// MaxSheets bounds the sheets of the workbook.
	MaxSheets = 256
	// MaxRows is the last row read: a cell with a value below it refuses
	// the file.
	MaxRows = 20000
	// MaxColumn is the last column read (Z): a cell with a value to its
	// right refuses the file.
	MaxColumn = 26
	// MaxCellBytes bounds the text of one cell (UTF-8; a task's content
	// is at most 100 000 characters).
	MaxCellBytes = 512 << 10
	// MaxSharedStrings bounds the entries of the shared-string table.
	MaxSharedStrings = 1 << 20
	// MaxStyles bounds the cell formats of styles.xml (Excel allows
	// 64 000) and maxFormatCode the length of a number format.
	MaxStyles     = 65000
	maxFormatCode = 255
	// maxTokenBytes bounds one XML text or tag as stored, and maxDepth the
	// nesting of elements, so that the XML decoder never buffers much.
	maxTokenBytes = 1 << 20
	maxDepth      = 64
)

// FileError refuses a file as a whole. TooLarge says it unpacks beyond a
// size limit (the API answers 413); otherwise its table breaks a limit of
// shape (422). Both name the field "file".
type FileError struct {
	TooLarge bool
	Vi, En   string // the reason in Vietnamese and in English
}

func (e *FileError) Error() string { return e.Vi + " / " + e.En }

func tooLarge(vi, en string, args ...any) *FileError {
	return &FileError{TooLarge: true, Vi: fmt.Sprintf(vi, args...), En: fmt.Sprintf(en, args...)}
}

func refused(vi, en string, args ...any) *FileError {
	return &FileError{Vi: fmt.Sprintf(vi, args...), En: fmt.Sprintf(en, args...)}
}

// mb writes a byte count for a message.
func mb(n uint64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// archive is a checked XLSX package.
type archive struct {
	zr    *zip.Reader
	parts map[string]*zip.File // by name with "/" separators
	lower map[string]*zip.File // by lower-case name
}

// big tells the parts that may be large: worksheets and shared strings.
func big(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "xl/worksheets/") || path.Base(l) == "sharedstrings.xml"
}

// part finds a part by name, exactly or ignoring case.
func (a *archive) part(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	if f := a.parts[name]; f != nil {
		return f
	}
	return a.lower[strings.ToLower(name)]
}

// checkZip checks the package before anything unpacks it: the number of
// entries, their declared sizes, alone and together, and their packing
// ratio; then it unpacks each entry through a limited reader, so that an
// entry that declares less than it holds is caught too.
func checkZip(data []byte) (*archive, error) {
	// zip.NewReader allocates one record per central directory entry it
	// finds, however many the end record declares: count the signatures
	// first (an upper bound on the entries).
	if n := bytes.Count(data, []byte("PK\x01\x02")); n > MaxEntries {
		return nil, tooLarge("tệp có hơn %d phần (zip)", "the file has more than %d parts (zip entries)", MaxEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not an XLSX file: %w", err)
	}
	if len(zr.File) > MaxEntries {
		return nil, tooLarge("tệp có hơn %d phần (zip)", "the file has more than %d parts (zip entries)", MaxEntries)
	}
	a := &archive{zr: zr, parts: map[string]*zip.File{}, lower: map[string]*zip.File{}}
	var total, other uint64
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		if a.lower[strings.ToLower(name)] != nil {
			return nil, fmt.Errorf("not an XLSX file: the part %q is there twice", name)
		}
		a.parts[name], a.lower[strings.ToLower(name)] = f, f
		size, limit := f.UncompressedSize64, uint64(MaxPartBytes)
		if big(name) {
			limit = MaxSheetBytes
		} else {
			other += size
		}
		total += size
		switch {
		case size > limit:
			return nil, tooLarge("phần %s khai báo %s khi giải nén, vượt giới hạn %s", "the part %s declares %s unpacked, over the limit of %s",
				name, mb(size), mb(limit))
		case other > MaxOtherBytes:
			return nil, tooLarge("các phần ngoài bảng tính khai báo hơn %s khi giải nén", "the parts other than worksheets declare more than %s unpacked",
				mb(MaxOtherBytes))
		case total > MaxTotalBytes:
			return nil, tooLarge("tệp khai báo hơn %s khi giải nén", "the file declares more than %s unpacked", mb(MaxTotalBytes))
		case size > ratioGrace && size/max(f.CompressedSize64, 1) > MaxRatio:
			return nil, tooLarge("phần %s nén %d lần, vượt giới hạn %d lần (zip bomb)", "the part %s is packed %d to 1, over the limit of %d to 1 (a zip bomb)",
				name, size/max(f.CompressedSize64, 1), MaxRatio)
		}
	}
	buf := make([]byte, 32<<10)
	for _, f := range zr.File {
		if err := checkEntry(f, buf); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// checkEntry unpacks one entry itself from its stored bytes, reading at
// most one byte more than it declares, and checks its CRC.
func checkEntry(f *zip.File, buf []byte) error {
	raw, err := f.OpenRaw()
	if err != nil {
		return fmt.Errorf("not an XLSX file: %s: %w", f.Name, err)
	}
	var r io.Reader
	switch f.Method {
	case zip.Store:
		r = raw
	case zip.Deflate:
		fr := flate.NewReader(raw)
		defer fr.Close()
		r = fr
	default:
		return fmt.Errorf("not an XLSX file: %s is packed with method %d", f.Name, f.Method)
	}
	h := crc32.NewIEEE()
	n, err := io.CopyBuffer(h, io.LimitReader(r, int64(f.UncompressedSize64)+1), buf)
	switch {
	case uint64(n) > f.UncompressedSize64:
		return tooLarge("phần %s chứa nhiều hơn %s đã khai báo", "the part %s holds more than the %s it declares", f.Name, mb(f.UncompressedSize64))
	case err != nil:
		return fmt.Errorf("not an XLSX file: %s: %w", f.Name, err)
	case uint64(n) < f.UncompressedSize64 || (f.CRC32 != 0 && h.Sum32() != f.CRC32):
		return fmt.Errorf("not an XLSX file: %s is damaged", f.Name)
	}
	return nil
}

// open unpacks a checked part through the guards: at most its declared
// size, and no XML token longer than maxTokenBytes.
func (a *archive) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("not an XLSX file: %s: %w", f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&tokenGuard{r: io.LimitReader(rc, int64(f.UncompressedSize64)), name: f.Name}, rc}, nil
}

// tokenGuard fails a stream in which more than maxTokenBytes pass between
// two '<': a text or a tag the XML decoder would have to hold whole.
type tokenGuard struct {
	r    io.Reader
	name string
	run  int
}

func (g *tokenGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for b := p[:n]; ; {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			g.run += len(b)
			break
		}
		if g.run+i > maxTokenBytes {
			return 0, g.fail()
		}
		g.run, b = 0, b[i+1:]
	}
	if g.run > maxTokenBytes {
		return 0, g.fail()
	}
	return n, err
}

func (g *tokenGuard) fail() error {
	return refused("phần %s có một đoạn văn bản hoặc thẻ XML dài hơn %s", "the part %s has an XML text or tag longer than %s", g.name, mb(maxTokenBytes))
}
