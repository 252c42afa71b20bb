package signing

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/digitorus/pdf"

	"baocao/signing/internal/pdfsign"
)

// Rect is a rectangle in PDF user space (points, origin at the page's
// bottom left): lower left x, y, upper right x, y.
type Rect [4]float64

// Width and Height are the rectangle's size in points.
func (r Rect) Width() float64  { return r[2] - r[0] }
func (r Rect) Height() float64 { return r[3] - r[1] }

// Appearance is where a signature shows, and its image.
type Appearance struct {
	// Page is the page (1 for the first); Rect the rectangle.
	Page int
	Rect Rect
	// Image is a PNG (transparent background) drawn to fill Rect; none:
	// an empty appearance.
	Image []byte
}

// Options are what a signature says besides its key.
type Options struct {
	// Name, Reason, Location and ContactInfo go into the signature
	// dictionary.
	Name, Reason, Location, ContactInfo string
	// Time is the claimed signing time (/M); zero: now.
	Time time.Time
	// TSA, when set, timestamps the signature (PAdES B-T).
	TSA *TSA
	// Appearance, when set, makes the signature visible; else it is an
	// invisible signature (a field of zero size).
	Appearance *Appearance
	// Field, when set, signs into the empty signature field of that name
	// (Fields lists them; baocao places one in every issued document with
	// a signature block), as the competent person's own software does:
	// the signature shows at the field's page and rectangle, with
	// Appearance's Image when given (its Page and Rect are not used).
	Field string
	// Stamp, when set (and Appearance not), shows the signature as text
	// at the top right of the first page: a separate appendix file's
	// organisation signature.
	Stamp *Stamp
}

// Sign appends to data an incremental update holding a PAdES signature
// with key, and returns the signed file. data is left as it is: the
// result starts with it.
func Sign(data []byte, key *Key, opt Options) (out []byte, err error) {
	if err := key.check(); err != nil {
		return nil, err
	}
	when := opt.Time
	if when.IsZero() {
		when = time.Now()
	}
	if c := key.Certificate(); when.Before(c.NotBefore) || when.After(c.NotAfter) {
		return nil, fmt.Errorf("the certificate of %q is not valid on %s (%s to %s)", c.Subject.CommonName,
			when.Format(time.RFC3339), c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly))
	}
	sd := pdfsign.SignData{
		Signature: pdfsign.SignDataSignature{
			CertType: pdfsign.ApprovalSignature,
			Info:     pdfsign.SignDataSignatureInfo{Name: opt.Name, Reason: opt.Reason, Location: opt.Location, ContactInfo: opt.ContactInfo, Date: when},
		},
		Signer:            key.Signer,
		Certificate:       key.Certificate(),
		CertificateChains: [][]*x509.Certificate{key.Chain},
		CMS:               func(content []byte) ([]byte, error) { return signCMS(content, key, opt.TSA) },
	}
	if opt.TSA != nil && opt.TSA.URL != "" {
		sd.MaxCMS = 9000 // room for the timestamp token (the claimed time stays, in /M)
	}
	for _, c := range key.Chain[1:] {
		sd.MaxCMS += len(c.Raw)
	}
	if a := opt.Appearance; a != nil {
		sd.Appearance = pdfsign.Appearance{Visible: true, Page: uint32(a.Page), LowerLeftX: a.Rect[0], LowerLeftY: a.Rect[1],
			UpperRightX: a.Rect[2], UpperRightY: a.Rect[3], Image: a.Image, NoText: true}
	}
	if opt.Field != "" {
		sd.FieldName = opt.Field
		sd.Appearance = pdfsign.Appearance{NoText: true}
		if opt.Appearance != nil {
			sd.Appearance.Image = opt.Appearance.Image
		}
	}
	if st := opt.Stamp; st != nil && opt.Appearance == nil && opt.Field == "" {
		sf, err := parseStampFont(st)
		if err != nil {
			return nil, err
		}
		pw, ph, err := pageSize(data, 1)
		if err != nil {
			return nil, err
		}
		r := st.rect(sf, pw, ph)
		sd.Appearance = pdfsign.Appearance{Visible: true, Page: 1, LowerLeftX: r[0], LowerLeftY: r[1], UpperRightX: r[2], UpperRightY: r[3],
			Custom: st.appearance(sf, r)}
	}
	return run(data, sd)
}

// pageSize is the width and height of a page's media box (points).
func pageSize(data []byte, page int) (w, h float64, err error) {
	err = reading(data, func(rdr *pdf.Reader) error {
		all, err := pages(rdr)
		if err != nil {
			return err
		}
		if page < 1 || page > len(all) {
			return fmt.Errorf("no page %d", page)
		}
		p := all[page-1]
		box := p.Key("MediaBox")
		for v, n := p, 0; box.Len() != 4 && v.Kind() == pdf.Dict && n < maxNesting; v, n = v.Key("Parent"), n+1 {
			box = v.Key("MediaBox")
		}
		if box.Len() != 4 {
			return notPDF("a page without a media box")
		}
		w, h = box.Index(2).Float64()-box.Index(0).Float64(), box.Index(3).Float64()-box.Index(1).Float64()
		return nil
	})
	return w, h, err
}

// reading runs fn over data's PDF reader; a file the reader cannot read,
// or panics on, is an error wrapping ErrNotPDF.
func reading(data []byte, fn func(*pdf.Reader) error) (err error) {
	if err := guard(data); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = notPDF(r)
		}
	}()
	rdr, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return notPDF(err)
	}
	// The signer (pdfsign) and the reader walk the page tree: a cycle is
	// refused first.
	if _, err := pages(rdr); err != nil {
		return err
	}
	return fn(rdr)
}

// AddField appends to data an incremental update with an empty, visible
// signature field at a, for the competent person to sign into with their
// own software.
func AddField(data []byte, a Appearance) ([]byte, error) {
	sd := pdfsign.SignData{
		EmptyField: true,
		Signature:  pdfsign.SignDataSignature{CertType: pdfsign.ApprovalSignature},
		Appearance: pdfsign.Appearance{Visible: true, Page: uint32(a.Page), LowerLeftX: a.Rect[0], LowerLeftY: a.Rect[1],
			UpperRightX: a.Rect[2], UpperRightY: a.Rect[3]},
	}
	return run(data, sd)
}

// run applies sd to data, turning a panic of the PDF reader on a
// malformed file into an error.
func run(data []byte, sd pdfsign.SignData) ([]byte, error) {
	var buf bytes.Buffer
	if err := reading(data, func(rdr *pdf.Reader) error {
		if err := pdfsign.Sign(bytes.NewReader(data), &buf, rdr, int64(len(data)), sd); err != nil {
			return fmt.Errorf("sign: %w", err)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, data) {
		return nil, fmt.Errorf("sign: the update does not keep the signed bytes")
	}
	return out, nil
}

// SealRect is where the organisation's seal goes (Decree 30, Appendix
// I): a square of size points (the seal's real size), vertically centred
// on the person's signature image at signer, covering about its left
// third.
func SealRect(signer Rect, size float64) Rect {
	right := signer[0] + signer.Width()/3
	cy := (signer[1] + signer[3]) / 2
	return Rect{right - size, cy - size/2, right, cy + size/2}
}
