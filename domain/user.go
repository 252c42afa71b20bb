package domain

import "time"

// User is an account as the API shows it (never with its hash).
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	AgencyID    int64     `json:"agency_id,omitempty"`
	AgencyName  string    `json:"agency_name,omitempty"`
	Email       string    `json:"email,omitempty"` // reminders and notices (migration 00015); empty: none
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
}

// Name is how the user is written in records ("Nguyễn Văn A (nva)").
func (u User) Name() string {
	if u.DisplayName == "" || u.DisplayName == u.Username {
		return u.Username
	}
	return u.DisplayName + " (" + u.Username + ")"
}

// UserInput creates a user.
type UserInput struct {
	Username    string
	DisplayName string
	Role        string
	AgencyID    int64 // a reporter's agency
	Password    string
	Email       string // optional: reminders and notices (ValidEmail)
}

// APIKey is an application's key as listed (never with its secret).
type APIKey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Scope      string     `json:"scope"`
	AgencyID   int64      `json:"agency_id,omitempty"`
	AgencyName string     `json:"agency_name,omitempty"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// KeyInput creates an API key.
type KeyInput struct {
	Name      string
	Scope     string // "render" or a role
	AgencyID  int64  // for the reporter scope
	ExpiresIn time.Duration
	CreatedBy string
}
