package store

import (
	"baocao/reports/agency"
)

// nameKey identifies an agency by its name (agency.Key): case and spacing
// do not matter, diacritics do ("Sở Nội vụ" and "Sở Nội Vụ" are one
// agency).
func nameKey(s string) string { return agency.Key(s) }
