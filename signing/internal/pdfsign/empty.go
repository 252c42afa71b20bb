package pdfsign

// baocao: this file is ours.

import "fmt"

// addEmptyField appends an incremental update with an unsigned, visible
// signature field on the appearance's page and rectangle (with an empty
// appearance, as PDF/A wants one for every visible annotation).
func (context *SignContext) addEmptyField() error {
	a := context.SignData.Appearance
	rect := [4]float64{a.LowerLeftX, a.LowerLeftY, a.UpperRightX, a.UpperRightY}
	widget, err := context.createVisualSignature(true, a.Page, rect)
	if err != nil {
		return fmt.Errorf("failed to create the signature field: %w", err)
	}
	if context.VisualSignData.objectId, err = context.addObject(widget); err != nil {
		return fmt.Errorf("failed to add the signature field: %w", err)
	}
	page, err := context.createIncPageUpdate(a.Page, context.VisualSignData.objectId)
	if err != nil {
		return fmt.Errorf("failed to update the page: %w", err)
	}
	if err := context.updateObject(context.VisualSignData.pageObjectId, page); err != nil {
		return fmt.Errorf("failed to update the page: %w", err)
	}
	catalog, err := context.createCatalog()
	if err != nil {
		return fmt.Errorf("failed to create catalog: %w", err)
	}
	if context.CatalogData.ObjectId, err = context.addObject(catalog); err != nil {
		return fmt.Errorf("failed to add catalog: %w", err)
	}
	if err := context.writeXref(); err != nil {
		return fmt.Errorf("failed to write xref: %w", err)
	}
	if err := context.writeTrailer(); err != nil {
		return fmt.Errorf("failed to write trailer: %w", err)
	}
	_, err = context.OutputFile.Write(context.OutputBuffer.Buff.Bytes())
	return err
}
