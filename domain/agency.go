package domain

import (
	"time"
)

// AgencyFields are an agency's own data.
type AgencyFields struct {
	Name      string   `json:"name"`
	ShortName string   `json:"short_name,omitempty"`
	Header    []string `json:"header,omitempty"`
	Symbol    string   `json:"symbol,omitempty"`
	Place     string   `json:"place,omitempty"`
	ParentID  *int64   `json:"parent_id,omitempty"`
}

// Agency is an agency as the API shows it.
type Agency struct {
	ID int64 `json:"id"`
	AgencyFields
	// Aliases are other spellings of the name: plans, imports and progress
	// that write one of them mean this agency.
	Aliases []string `json:"aliases"`
	// Label is the name as lists show it: followed by the parent's name
	// in brackets when another agency has the same name.
	Label     string    `json:"label"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AgencyInput is what a client sends to create or update an agency.
type AgencyInput struct {
	AgencyFields
	// Aliases replace the agency's aliases; absent (nil) keeps them on
	// update.
	Aliases *[]string `json:"aliases,omitempty"`
	// Version is required on update: the version the client read.
	Version int64 `json:"version,omitempty"`
}
