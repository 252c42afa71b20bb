package pdfsign

// baocao: this file is ours.

import (
	"bytes"
	"fmt"

	"github.com/digitorus/pdf"
)

// fillField rewrites the empty signature field named FieldName (its
// widget merged into it, as baocao and most software place one) with the
// signature's value and an appearance at the field's own rectangle, in
// place: the page already lists it among its annotations and the
// catalog's /Fields already holds it. It returns the field's object
// number.
func (context *SignContext) fillField() (uint32, error) {
	name := context.SignData.FieldName
	fields := context.PDFReader.Trailer().Key("Root").Key("AcroForm").Key("Fields")
	var field pdf.Value
	for i := 0; i < fields.Len(); i++ {
		f := fields.Index(i)
		if f.Key("FT").Name() == "Sig" && f.Key("T").Text() == name {
			field = f
			break
		}
	}
	if field.IsNull() {
		return 0, fmt.Errorf("no signature field named %q", name)
	}
	if !field.Key("V").IsNull() {
		return 0, fmt.Errorf("the signature field %q is already signed", name)
	}
	if field.Key("Subtype").Name() != "Widget" || field.Key("Rect").Len() != 4 {
		return 0, fmt.Errorf("the signature field %q is not a widget with a rectangle", name)
	}
	page := field.Key("P").GetPtr()
	if page.GetID() == 0 {
		return 0, fmt.Errorf("the signature field %q names no page", name)
	}
	var rect [4]float64
	for i := range rect {
		rect[i] = field.Key("Rect").Index(i).Float64()
	}
	if rect[0] > rect[2] {
		rect[0], rect[2] = rect[2], rect[0]
	}
	if rect[1] > rect[3] {
		rect[1], rect[3] = rect[3], rect[1]
	}
	appearance, err := context.createAppearance(rect)
	if err != nil {
		return 0, fmt.Errorf("failed to create appearance: %w", err)
	}
	ap, err := context.addObject(appearance)
	if err != nil {
		return 0, fmt.Errorf("failed to add appearance object: %w", err)
	}
	var w bytes.Buffer
	w.WriteString("<<\n  /Type /Annot\n  /Subtype /Widget\n")
	fmt.Fprintf(&w, "  /Rect [%f %f %f %f]\n", rect[0], rect[1], rect[2], rect[3])
	fmt.Fprintf(&w, "  /AP << /N %d 0 R >>\n", ap)
	fmt.Fprintf(&w, "  /P %d %d R\n", page.GetID(), page.GetGen())
	fmt.Fprintf(&w, "  /F %d\n", AnnotationFlagPrint|AnnotationFlagLocked)
	w.WriteString("  /FT /Sig\n")
	fmt.Fprintf(&w, "  /T %s\n", pdfString(name))
	fmt.Fprintf(&w, "  /V %d 0 R\n", context.SignData.objectId)
	w.WriteString(">>\n")
	ptr := field.GetPtr()
	id := uint32(ptr.GetID())
	if err := context.updateObject(id, w.Bytes()); err != nil {
		return 0, fmt.Errorf("failed to update the signature field: %w", err)
	}
	return id, nil
}
