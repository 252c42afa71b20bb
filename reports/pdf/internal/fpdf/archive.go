package fpdf

// baocao: this file is ours. It brings back, for archival (PDF/A) files
// only, what upstream's SetTitle/SetAuthor/SetSubject/SetKeywords,
// SetXmpMetadata and the output intents wrote, and adds the file
// identifier PDF/A asks for. A document without SetArchive is written
// byte for byte as before.

import (
	"encoding/hex"
	"time"
)

// Archive is what an archival (PDF/A) file carries besides the pages:
// the document information, the XMP packet that repeats it, and the
// ICC profile of the output intent.
type Archive struct {
	// Title, Author, Subject and Keywords go into the document
	// information dictionary, as UTF-16 text strings.
	Title, Author, Subject, Keywords string
	// XMP is the metadata packet, written uncompressed as the catalog's
	// /Metadata stream.
	XMP []byte
	// ICC is the output intent's profile (RGB, 3 components), and
	// OutputCondition its identifier ("sRGB IEC61966-2.1").
	ICC             []byte
	OutputCondition string
}

// SetArchive makes the file an archival one: Info gets the texts of a
// and dates with their time zone, the catalog the metadata stream and an
// output intent (GTS_PDFA1), no empty name tree, and the trailer an /ID.
//
// baocao: with an output (SetOutput), call it before the first page: the
// /ID is the SHA-256 of the file as it is written.
func (f *Fpdf) SetArchive(a *Archive) {
	f.archive = a
	f.SetError(f.buffer.hashFile())
}

// PageNo is the number of the current page (1 for the first).
func (f *Fpdf) PageNo() int { return f.page }

// pdfDate is a PDF date with its time zone: D:20240105000000+07'00'.
func pdfDate(t time.Time) string {
	s := "D:" + t.Format("20060102150405")
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	if off == 0 {
		return s + "Z"
	}
	h, m := off/3600, off%3600/60
	return s + string(sign) + twoDigits(h) + "'" + twoDigits(m) + "'"
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// putarchive writes the metadata stream and the output profile (before
// Info and the catalog, which keep the last two object numbers).
func (f *Fpdf) putarchive() {
	a := f.archive
	f.newobj()
	f.archiveObjs[0] = f.n
	f.outf("<</Type /Metadata /Subtype /XML /Length %d>>", len(a.XMP))
	f.putstream(a.XMP)
	f.out("endobj")
	f.newobj()
	f.archiveObjs[1] = f.n
	icc, err := deflateBytes(a.ICC)
	if err != nil {
		f.err = err
		return
	}
	f.outf("<</N 3 /Filter /FlateDecode /Length %d>>", len(icc))
	f.putstream(icc)
	f.out("endobj")
}

// putarchiveinfo writes the archive's entries of the Info dictionary.
func (f *Fpdf) putarchiveinfo() {
	a := f.archive
	for _, e := range [][2]string{{"Title", a.Title}, {"Author", a.Author}, {"Subject", a.Subject}, {"Keywords", a.Keywords}} {
		if e[1] != "" {
			f.outf("/%s %s", e[0], f.textstring(utf8toutf16(e[1])))
		}
	}
}

// putarchivecatalog writes the catalog's metadata and output intent.
func (f *Fpdf) putarchivecatalog() {
	f.outf("/Metadata %d 0 R", f.archiveObjs[0])
	f.outf("/OutputIntents [<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier %s /Info %s /DestOutputProfile %d 0 R>>]",
		f.textstring(f.archive.OutputCondition), f.textstring(f.archive.OutputCondition), f.archiveObjs[1])
}

// fileID is the trailer's /ID: the first 16 bytes of the SHA-256 of the
// file up to its trailer, twice (the file is never updated by baocao, so
// both parts are equal), which keeps the output reproducible.
func (f *Fpdf) fileID() string {
	sum := f.buffer.fileSum()
	id := hex.EncodeToString(sum[:16])
	return "/ID [<" + id + "> <" + id + ">]"
}
