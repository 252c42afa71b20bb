package signing

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// Trust is the trust list: the root certificates a signer's chain must
// end in, and intermediates that may complete a chain.
type Trust struct {
	roots, intermediates *x509.CertPool
	// Roots and Intermediates count what was loaded.
	Roots, Intermediates int
}

// LoadTrust reads certificate files (PEM, one or more certificates, or
// DER): a self-signed certificate is a root, any other an intermediate.
func LoadTrust(paths ...string) (*Trust, error) {
	t := &Trust{roots: x509.NewCertPool(), intermediates: x509.NewCertPool()}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("trust list: %w", err)
		}
		certs, err := ParseCertificates(data)
		if err != nil {
			return nil, fmt.Errorf("trust list %s: %w", p, err)
		}
		for _, c := range certs {
			t.Add(c)
		}
	}
	return t, nil
}

// Add puts c into the trust list: a root if it is self-signed.
func (t *Trust) Add(c *x509.Certificate) {
	if bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil {
		t.roots.AddCert(c)
		t.Roots++
		return
	}
	t.intermediates.AddCert(c)
	t.Intermediates++
}

// ParseCertificates reads PEM certificates, or one DER certificate.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) > 0 {
		return out, nil
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, errors.New("no certificate (PEM or DER) found")
	}
	return []*x509.Certificate{c}, nil
}

// Signature is what verification says of one signature.
type Signature struct {
	// Field is the signature field's name; Name the signer's name as the
	// signature dictionary gives it; Signer the certificate's subject
	// (common name) and Organization its organisation; Issuer the
	// certificate's issuer; Serial its serial number (hexadecimal).
	Field, Name, Reason, Location string
	Signer, Organization, Issuer  string
	Serial                        string
	// Certificate is the signer's certificate (nil if none was found).
	Certificate *x509.Certificate `json:"-"`
	// Time is when it was signed: the timestamp's time if there is one
	// (TimeSource "timestamp"), else the time the signer claims ("claimed":
	// the signature dictionary's /M, or a signing-time attribute).
	Time       time.Time
	TimeSource string
	// SubFilter is the signature's format; Level its PAdES baseline level
	// ("B-B", "B-T") or "" for a signature that is not PAdES.
	SubFilter, Level string
	// Valid: the signature value checks against the bytes its ByteRange
	// covers (and the certificate, and its message digest).
	Valid bool
	// Revision is the revision of the file the signature covers (1 for
	// the first), WholeFile whether that is the whole file.
	Revision  int
	WholeFile bool
	// Covered is how many bytes the signature covers, from the start.
	Covered int64
	// Page and Rect are where the signature's widget is (Page 0: not on
	// a page the file lists; a zero Rect: invisible).
	Page int
	Rect Rect
	// Trusted: the certificate chains to the trust list, at the signing
	// time; Chain is the chain found (subjects, signer first).
	Trusted bool
	Chain   []string
	// Problems says what is wrong, in Vietnamese and English.
	Problems []string
}

// OK is whether the signature is valid, trusted and covers the whole
// file.
func (s Signature) OK() bool { return s.Valid && s.Trusted && s.WholeFile }

// Report is what Verify says of a file.
type Report struct {
	// Size is the file's size, Revisions how many revisions it has.
	Size      int64
	Revisions int
	// FirstRevision is the first revision's size and SHA-256 (hex): an
	// issued document, if the file is one signed over it.
	FirstRevision       int64
	FirstRevisionSHA256 string
	// SHA256 is the whole file's; RevisionSHA256 each revision's (the
	// file up to its end), the first one first.
	SHA256         string
	RevisionSHA256 []string
	Signatures     []Signature
}

// Verify reads data's signatures and checks each against trust (nil: no
// certificate is trusted). A file that is not a PDF, or is damaged, is an
// error wrapping ErrNotPDF; a PDF without signatures is a report without
// signatures.
func Verify(data []byte, trust *Trust, now time.Time) (rep *Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, notPDF(r)
		}
	}()
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\r\n "), []byte("%PDF-")) {
		return nil, notPDF("no %PDF- header")
	}
	if err := guard(data); err != nil {
		return nil, err
	}
	rdr, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notPDF(err)
	}
	all, err := pages(rdr)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	rep = &Report{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	eofs := revisionEnds(data)
	rep.Revisions = len(eofs)
	for _, e := range eofs {
		h := sha256.Sum256(data[:e])
		rep.RevisionSHA256 = append(rep.RevisionSHA256, hex.EncodeToString(h[:]))
	}
	if len(eofs) > 0 {
		rep.FirstRevision, rep.FirstRevisionSHA256 = eofs[0], rep.RevisionSHA256[0]
	}
	fields := rdr.Trailer().Key("Root").Key("AcroForm").Key("Fields")
	seen := map[string]bool{}
	// The field tree is walked once per field object, at most 10,000 of
	// them: a kid that is its own ancestor, or a field listed many times,
	// would otherwise make the walk grow without end.
	visited, budget := map[[2]uint32]bool{}, 10000
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		if depth > 32 || len(rep.Signatures) > 64 {
			return
		}
		for i := 0; i < v.Len() && budget > 0; i++ {
			f := v.Index(i)
			budget--
			if p := f.GetPtr(); p.GetID() != 0 {
				k := [2]uint32{p.GetID(), uint32(p.GetGen())}
				if visited[k] {
					continue
				}
				visited[k] = true
			}
			if kids := f.Key("Kids"); kids.Kind() == pdf.Array {
				walk(kids, depth+1)
			}
			sig := f.Key("V")
			if f.Key("FT").Name() != "Sig" || sig.Kind() != pdf.Dict {
				continue
			}
			br := sig.Key("ByteRange")
			key := br.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			s := checkSignature(data, eofs, f.Key("T").Text(), sig, trust, now)
			s.Page, s.Rect = widgetPlace(all, f)
			rep.Signatures = append(rep.Signatures, s)
		}
	}
	walk(fields, 0)
	return rep, nil
}

// stamps reports whether the timestamp t is of the signature value sig
// (its message imprint is the hash of sig).
func stamps(t *timestamp.Timestamp, sig []byte) bool {
	h := t.HashAlgorithm
	if !h.Available() {
		h = crypto.SHA256
	}
	d := h.New()
	d.Write(sig)
	return bytes.Equal(d.Sum(nil), t.HashedMessage)
}

// widgetPlace is the page and rectangle of a signature field's widget
// (the field itself, or its first kid).
func widgetPlace(all []pdf.Value, f pdf.Value) (int, Rect) {
	w := f
	if f.Key("Rect").Kind() != pdf.Array && f.Key("Kids").Len() > 0 {
		w = f.Key("Kids").Index(0)
	}
	var r Rect
	if rv := w.Key("Rect"); rv.Len() == 4 {
		for i := range r {
			r[i] = rv.Index(i).Float64()
		}
		if r[0] > r[2] {
			r[0], r[2] = r[2], r[0]
		}
		if r[1] > r[3] {
			r[1], r[3] = r[3], r[1]
		}
	}
	p := w.Key("P").GetPtr()
	if p.GetID() == 0 {
		return 0, r
	}
	for i, pg := range all {
		if pg.GetPtr() == p {
			return i + 1, r
		}
	}
	return 0, r
}

// revisionEnds are the ends of the file's revisions: after each "%%EOF"
// and its end of line.
func revisionEnds(data []byte) []int64 {
	var out []int64
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("%%EOF"))
		if j < 0 {
			return out
		}
		end := i + j + 5
		if end < len(data) && data[end] == '\r' {
			end++
		}
		if end < len(data) && data[end] == '\n' {
			end++
		}
		out = append(out, int64(end))
		i = end
	}
}

func checkSignature(data []byte, eofs []int64, field string, v pdf.Value, trust *Trust, now time.Time) Signature {
	s := Signature{Field: field, Name: v.Key("Name").Text(), Reason: v.Key("Reason").Text(), Location: v.Key("Location").Text(),
		SubFilter: v.Key("SubFilter").Name()}
	bad := func(vi, en string) { s.Problems = append(s.Problems, vi+" / "+en) }
	br := v.Key("ByteRange")
	if br.Len() != 4 {
		bad("chữ ký không có ByteRange hợp lệ", "the signature has no valid ByteRange")
		return s
	}
	var r [4]int64
	for i := range r {
		r[i] = br.Index(i).Int64()
	}
	size := int64(len(data))
	if r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0 || r[2]+r[3] > size || r[2]+r[3] < r[2] {
		bad(fmt.Sprintf("ByteRange %v không nằm trong tệp", r), fmt.Sprintf("ByteRange %v does not lie within the file", r))
		return s
	}
	// The gap must be exactly the signature's hexadecimal /Contents.
	gap := data[r[1]:r[2]]
	contents := []byte(v.Key("Contents").RawString())
	if len(gap) < 2 || gap[0] != '<' || gap[len(gap)-1] != '>' {
		bad("phần chừa ra không phải là giá trị chữ ký", "the bytes left out are not the signature value")
		return s
	}
	if raw, err := hex.DecodeString(string(gap[1 : len(gap)-1])); err != nil || !bytes.Equal(raw, contents) {
		bad("phần chừa ra không phải là giá trị chữ ký", "the bytes left out are not the signature value")
		return s
	}
	s.Covered = r[2] + r[3]
	s.WholeFile = s.Covered == size
	for i, e := range eofs {
		if e >= s.Covered {
			s.Revision = i + 1
			break
		}
	}
	if s.Revision == 0 {
		s.Revision = len(eofs)
	}
	if !s.WholeFile {
		bad(fmt.Sprintf("chữ ký chỉ bao gồm %d/%d byte (phiên bản %d): tệp đã được thay đổi sau khi ký", s.Covered, size, s.Revision),
			fmt.Sprintf("the signature covers %d of %d bytes (revision %d): the file was changed after signing", s.Covered, size, s.Revision))
	}

	p7, err := pkcs7.Parse(contents)
	if err != nil {
		bad("giá trị chữ ký không đọc được: "+err.Error(), "the signature value cannot be read: "+err.Error())
		return s
	}
	p7.Content = append(append([]byte{}, data[r[0]:r[0]+r[1]]...), data[r[2]:r[2]+r[3]]...)
	signer := p7.GetOnlySigner()
	if signer == nil && len(p7.Certificates) > 0 {
		signer = p7.Certificates[0]
	}
	if signer != nil {
		s.Certificate = signer
		s.Signer, s.Issuer, s.Serial = signer.Subject.CommonName, signer.Issuer.CommonName, signer.SerialNumber.Text(16)
		if len(signer.Subject.Organization) > 0 {
			s.Organization = signer.Subject.Organization[0]
		}
	}
	if err := p7.Verify(); err != nil {
		bad("chữ ký không hợp lệ: "+err.Error(), "the signature is not valid: "+err.Error())
	} else {
		s.Valid = true
	}

	// When: a timestamp token, else the claimed time.
	var ts *timestamp.Timestamp
	if len(p7.Signers) == 1 {
		for _, a := range p7.Signers[0].UnauthenticatedAttributes {
			if a.Type.Equal(oidTimeStampToken) {
				t, err := timestamp.Parse(a.Value.Bytes)
				switch {
				case err != nil:
					bad("dấu thời gian không đọc được", "the timestamp cannot be read: "+err.Error())
				case !stamps(t, p7.Signers[0].EncryptedDigest):
					bad("dấu thời gian không thuộc về chữ ký này", "the timestamp is not of this signature's value")
				default:
					ts = t
				}
			}
		}
	}
	var st time.Time
	hasSigningTime := p7.UnmarshalSignedAttribute(oidSigningTime, &st) == nil
	switch {
	case ts != nil:
		s.Time, s.TimeSource = ts.Time, "timestamp"
	case hasSigningTime:
		s.Time, s.TimeSource = st, "claimed"
	default:
		if m := v.Key("M").Text(); m != "" {
			if t, err := parsePDFDate(m); err == nil {
				s.Time, s.TimeSource = t, "claimed"
			}
		}
	}
	var sc asn1.RawValue
	if s.SubFilter == "ETSI.CAdES.detached" && p7.UnmarshalSignedAttribute(oidSigningCertificateV2, &sc) == nil && !hasSigningTime {
		s.Level = "B-B"
		if ts != nil {
			s.Level = "B-T"
		}
	}

	// The chain, at the signing time (now if unknown).
	if signer == nil {
		bad("không có chứng thư số của người ký", "no signer certificate")
		return s
	}
	at := s.Time
	if at.IsZero() {
		at = now
	}
	if trust == nil || trust.roots == nil {
		bad("chưa cấu hình danh sách tin cậy", "no trust list is configured")
		return s
	}
	inter := trust.intermediates.Clone()
	for _, c := range p7.Certificates {
		inter.AddCert(c)
	}
	chains, err := signer.Verify(x509.VerifyOptions{Roots: trust.roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		bad("chứng thư số không thuộc danh sách tin cậy: "+err.Error(), "the certificate does not chain to the trust list: "+err.Error())
		return s
	}
	s.Trusted = true
	for _, c := range chains[0] {
		s.Chain = append(s.Chain, c.Subject.String())
	}
	return s
}

// parsePDFDate reads D:YYYYMMDDHHmmSS+HH'mm' (or Z, or shorter forms).
func parsePDFDate(s string) (time.Time, error) {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 14 {
		return time.Time{}, fmt.Errorf("date %q", s)
	}
	zone := strings.TrimSuffix(strings.ReplaceAll(s[14:], "'", ":"), ":")
	if zone == "" || zone == "Z" || strings.HasPrefix(zone, "Z") {
		zone = "Z"
	}
	return time.Parse("20060102150405Z07:00", s[:14]+zone)
}

// Field is a signature field of a file.
type Field struct {
	Name   string
	Page   int
	Rect   Rect
	Signed bool
}

// Fields lists data's signature fields (the empty one baocao places for
// the competent person among them).
func Fields(data []byte) (out []Field, err error) {
	err = reading(data, func(rdr *pdf.Reader) error {
		all, err := pages(rdr)
		if err != nil {
			return err
		}
		fields := rdr.Trailer().Key("Root").Key("AcroForm").Key("Fields")
		for i := 0; i < fields.Len() && i < 1000; i++ {
			f := fields.Index(i)
			if f.Key("FT").Name() != "Sig" {
				continue
			}
			page, rect := widgetPlace(all, f)
			out = append(out, Field{Name: f.Key("T").Text(), Page: page, Rect: rect, Signed: f.Key("V").Kind() == pdf.Dict})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
