package workflow

import (
	"context"
	"fmt"

	"baocao/domain"
	"baocao/reports/doc"
)

// AgencyWriter creates, changes and deletes agencies.
type AgencyWriter interface {
	ListAgencies(ctx context.Context) ([]domain.Agency, error)
	CreateAgency(ctx context.Context, in domain.AgencyInput) (domain.Agency, error)
	UpdateAgency(ctx context.Context, id int64, in domain.AgencyInput) (domain.Agency, error)
	DeleteAgency(ctx context.Context, id, version int64) error
}

// CheckAgency applies the text rule at the door to an agency's fields in
// place and refuses, naming every field, what is missing, too long, not
// a symbol or not drawable: a name of at most 300 characters, a short
// name too, a symbol of at most 30 (doc.ValidSymbol), a place of at most
// 100, at most 5 header lines of at most 100 and at most 50 aliases.
func (w *Service) CheckAgency(in *domain.AgencyInput) error {
	fields := []TextField{{"name", &in.Name}, {"short_name", &in.ShortName}, {"symbol", &in.Symbol}, {"place", &in.Place}}
	for i := range in.Header {
		fields = append(fields, TextField{fmt.Sprintf("header[%d]", i), &in.Header[i]})
	}
	if in.Aliases != nil {
		for i := range *in.Aliases {
			fields = append(fields, TextField{fmt.Sprintf("aliases[%d]", i), &(*in.Aliases)[i]})
		}
	}
	errs := w.cleanTexts(fields...)
	check := func(field, v string, required bool, limit int) {
		switch {
		case required && v == "":
			errs = append(errs, doc.FieldError{Field: field, Problem: "is required"})
		case len([]rune(v)) > limit:
			errs = append(errs, doc.FieldError{Field: field, Problem: "is too long"})
		}
	}
	check("name", in.Name, true, 300)
	check("short_name", in.ShortName, false, 300)
	check("symbol", in.Symbol, false, 30)
	check("place", in.Place, false, 100)
	if in.Symbol != "" && !doc.ValidSymbol(in.Symbol) {
		errs = append(errs, doc.FieldError{Field: "symbol", Problem: doc.SymbolProblem})
	}
	if len(in.Header) > 5 {
		errs = append(errs, doc.FieldError{Field: "header", Problem: "has more than 5 lines"})
	}
	for i, h := range in.Header {
		check(fmt.Sprintf("header[%d]", i), h, true, 100)
	}
	if in.Aliases != nil {
		if len(*in.Aliases) > 50 {
			errs = append(errs, doc.FieldError{Field: "aliases", Problem: "has more than 50 names"})
		}
		for i, a := range *in.Aliases {
			check(fmt.Sprintf("aliases[%d]", i), a, true, 300)
		}
	}
	if len(errs) > 0 {
		return invalid(errs...)
	}
	return nil
}

// CreateAgency stores a new agency (the editors create).
func (w *Service) CreateAgency(ctx context.Context, actor Actor, in domain.AgencyInput) (domain.Agency, error) {
	if err := actor.may("create agencies", editors...); err != nil {
		return domain.Agency{}, err
	}
	if err := w.CheckAgency(&in); err != nil {
		return domain.Agency{}, err
	}
	return w.Store.CreateAgency(ctx, in)
}

// UpdateAgency changes an agency of the version in.Version (domain.ErrStale
// when someone changed it since); nil aliases keep the agency's.
func (w *Service) UpdateAgency(ctx context.Context, actor Actor, id int64, in domain.AgencyInput) (domain.Agency, error) {
	if err := actor.may("change agencies", editors...); err != nil {
		return domain.Agency{}, err
	}
	if err := w.CheckAgency(&in); err != nil {
		return domain.Agency{}, err
	}
	return w.Store.UpdateAgency(ctx, id, in)
}

// DeleteAgency deletes an agency (of the version given; 0: any) that no
// plan, task or agency refers to (domain.ErrInUse otherwise).
func (w *Service) DeleteAgency(ctx context.Context, actor Actor, id, version int64) error {
	if err := actor.may("delete agencies", editors...); err != nil {
		return err
	}
	return w.Store.DeleteAgency(ctx, id, version)
}
