package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"baocao/reports/agency"
	"baocao/reports/doc"
)

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("store: marshal %T: %v", v, err)) // only plain data is marshalled
	}
	return string(b)
}

// resolveAgency finds an agency by name, or by one of its aliases, within
// its parent (a.Parent, or scope for an agency the plan names without one:
// the plan's top agency), then by its name alone (an agency entered without
// a parent, or stored by an earlier version), and creates it under that
// parent when new; for an issuing agency it fills in blank symbol, place
// and header from a.
func (s *Store) resolveAgency(tx *gorm.DB, a *doc.Agency, scope sql.NullInt64) (int64, error) {
	parentID := scope
	if a.Parent != nil {
		pid, err := s.resolveAgency(tx, a.Parent, sql.NullInt64{})
		if err != nil {
			return 0, err
		}
		parentID = sql.NullInt64{Int64: pid, Valid: true}
	}
	r, found, err := lookupAgency(tx, a.Name, parentID)
	if err != nil {
		return 0, err
	}
	if found { // complete what it lacks
		upd := map[string]any{}
		if r.Symbol == "" && a.Symbol != "" {
			upd["symbol"] = a.Symbol
		}
		if r.Place == "" && a.Place != "" {
			upd["place"] = a.Place
		}
		if r.ShortName == "" && a.ShortName != "" {
			upd["short_name"] = a.ShortName
		}
		if r.Header == "[]" && len(a.Header) > 0 {
			upd["header"] = mustJSON(a.Header)
		}
		if !r.ParentID.Valid && a.Parent != nil && parentID.Int64 != r.ID {
			upd["parent_id"] = parentID
		}
		if len(upd) > 0 {
			upd["version"] = gorm.Expr("version + 1")
			upd["updated_at"] = s.now()
			if err := tx.Model(&agencyRow{}).Where("id = ?", r.ID).Updates(upd).Error; err != nil {
				return 0, err
			}
		}
		return r.ID, nil
	}
	nr := agencyRowOf(AgencyInput{AgencyFields: AgencyFields{Name: a.Name, ShortName: a.ShortName, Header: a.Header, Symbol: a.Symbol, Place: a.Place}})
	nr.ParentID, nr.NameKey = parentID, agencyKey(a.Name, parentID)
	nr.Version, nr.CreatedAt, nr.UpdatedAt = 1, s.now(), s.now()
	return insertAgency(tx, &nr, a.Name, parentID)
}

// insertAgency creates a new agency unless a concurrent transaction has
// just created one of the same name (two clerks storing plans that name
// it for the first time): on PostgreSQL the insert then waits for that
// transaction and fails on the unique name; the savepoint keeps this
// transaction alive, and the agency now committed is taken instead. (On
// SQLite one transaction writes at a time, so this never happens there.)
func insertAgency(tx *gorm.DB, nr *agencyRow, name string, parentID sql.NullInt64) (int64, error) {
	const sp = "new_agency"
	if err := tx.SavePoint(sp).Error; err != nil {
		return 0, err
	}
	err := tx.Create(nr).Error
	if err == nil || !errors.Is(err, gorm.ErrDuplicatedKey) {
		return nr.ID, err
	}
	if rerr := tx.RollbackTo(sp).Error; rerr != nil {
		return 0, errors.Join(err, rerr)
	}
	r, found, lerr := lookupAgency(tx, name, parentID)
	if lerr != nil || !found {
		return 0, errors.Join(err, lerr)
	}
	return r.ID, nil
}

// lookupAgency finds the agency a name means within a scope: by its name
// or an alias there, else by its name or an alias without a parent.
func lookupAgency(tx *gorm.DB, name string, scope sql.NullInt64) (agencyRow, bool, error) {
	for _, key := range []string{agencyKey(name, scope), nameKey(name)} {
		r, ok, err := keyOwner(tx, key)
		if err != nil || ok {
			return r, ok, err
		}
	}
	return agencyRow{}, false, nil
}

// entryAgency is the agency a task's lead or cooperating entry names: an
// agency known by that name or alias in the scope, else a new one if the
// text is an agency's name (agency.IsName), else none ("Theo Kế hoạch của
// tỉnh", "Các Sở, ban, ngành tỉnh" stay written text).
func (s *Store) entryAgency(tx *gorm.DB, name string, scope sql.NullInt64) (sql.NullInt64, error) {
	r, ok, err := lookupAgency(tx, name, scope)
	if err != nil {
		return sql.NullInt64{}, err
	}
	if ok {
		return sql.NullInt64{Int64: r.ID, Valid: true}, nil
	}
	if !agency.IsName(name) {
		return sql.NullInt64{}, nil
	}
	id, err := s.resolveAgency(tx, &doc.Agency{Name: name}, scope)
	return sql.NullInt64{Int64: id, Valid: id != 0}, err
}

// rootOf is the top of an agency's chain of parents (the provincial or
// district people's committee): the scope of the agencies a plan names.
func rootOf(tx *gorm.DB, id int64) (int64, error) {
	for range 32 { // checkParent keeps the chain free of cycles; this bounds it anyway
		var r agencyRow
		if err := tx.Select("id, parent_id").Take(&r, id).Error; err != nil {
			return 0, err
		}
		if !r.ParentID.Valid {
			return r.ID, nil
		}
		id = r.ParentID.Int64
	}
	return id, nil
}

func (s *Store) planRow(tx *gorm.DB, d *doc.Document) (planRow, error) {
	agencyID, err := s.resolveAgency(tx, &d.Agency, sql.NullInt64{})
	if err != nil {
		return planRow{}, err
	}
	return planRow{
		Kind: d.Kind, Number: d.Number, Symbol: d.Symbol, Date: d.Date.String(), Year: d.Date.Year,
		AgencyID: agencyID, Issuer: d.Issuer, Title: d.Title, TitleKey: Fold(d.Title), Authority: d.Authority,
		LegalBases: mustJSON(nonNil(d.LegalBases)), Body: d.Body, Recipients: mustJSON(nonNil(d.Recipients)),
		Archive: d.Archive, Signature: mustJSON(d.Signature), PromulgatedBy: mustJSON(d.PromulgatedBy),
		ReportDueDay: d.ReportDueDay,
	}, nil
}

// CreatePlan stores a document with its appendices and tasks in one
// transaction.
func (s *Store) CreatePlan(ctx context.Context, d *doc.Document) (Plan, error) {
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.planRow(tx, d)
		if err != nil {
			return err
		}
		r.Version, r.CreatedAt, r.UpdatedAt = 1, s.now(), s.now()
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		id = r.ID
		_, err = s.syncAppendices(tx, id, d.Appendices, UpdateOptions{})
		return err
	})
	if err != nil {
		return Plan{}, mapErr(err, "plan")
	}
	return s.GetPlan(ctx, id)
}

// UpdatePlan replaces a plan's document if version is current. Tasks that
// carry the id of one of the plan's tasks are updated in place (keeping
// their progress); tasks without an id are added; stored tasks left out
// are deleted, but one that has progress submissions makes it refuse (a
// *ProgressError, see UpdatePlanWith to archive them instead).
func (s *Store) UpdatePlan(ctx context.Context, id, version int64, d *doc.Document) (Plan, error) {
	p, _, err := s.UpdatePlanWith(ctx, id, version, d, UpdateOptions{})
	return p, err
}

// UpdatePlanWith is UpdatePlan with options; with opt.ArchiveTasks a
// left-out task that has progress is archived with its submissions, and
// the archived tasks are returned.
func (s *Store) UpdatePlanWith(ctx context.Context, id, version int64, d *doc.Document, opt UpdateOptions) (Plan, []TaskRef, error) {
	var archived []TaskRef
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.planRow(tx, d)
		if err != nil {
			return err
		}
		res := tx.Model(&planRow{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"kind": r.Kind, "number": r.Number, "symbol": r.Symbol, "date": r.Date, "year": r.Year,
			"agency_id": r.AgencyID, "issuer": r.Issuer, "title": r.Title, "title_key": r.TitleKey,
			"authority": r.Authority, "legal_bases": r.LegalBases, "body": r.Body, "recipients": r.Recipients,
			"archive": r.Archive, "signature": r.Signature, "promulgated_by": r.PromulgatedBy,
			"report_due_day": r.ReportDueDay, "version": gorm.Expr("version + 1"), "updated_at": s.now(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return staleOrMissing(tx, &planRow{}, id)
		}
		// After the update, which holds the plan's row: an issue that
		// committed meanwhile is seen (IssuePlan locks the row too).
		if err := refuseIssued(tx, id); err != nil {
			return err
		}
		archived, err = s.syncAppendices(tx, id, d.Appendices, opt)
		return err
	})
	if err != nil {
		return Plan{}, nil, mapErr(err, "plan")
	}
	p, err := s.GetPlan(ctx, id)
	return p, archived, err
}

// syncAppendices makes the stored appendices and tasks of a plan those of
// apps. A stored task that apps leave out is deleted when it has no
// progress; with progress it is archived when opt says so, else the whole
// change is refused (*ProgressError). Archived tasks are never matched:
// an id of one is "not a task of this plan".
func (s *Store) syncAppendices(tx *gorm.DB, planID int64, apps []doc.Appendix, opt UpdateOptions) ([]TaskRef, error) {
	var stored []appendixRow
	if err := tx.Where("plan_id = ? AND position >= 0", planID).Order("position").Find(&stored).Error; err != nil {
		return nil, err
	}
	// The plan's tasks are locked (PostgreSQL), so that a submission
	// running meanwhile either is counted below or waits and then finds
	// its task archived or gone (SubmitAt locks the task row too).
	var existing []taskRow
	if err := s.lockRows(tx.Where("plan_id = ? AND archived_at IS NULL", planID).Order("id")).Find(&existing).Error; err != nil {
		return nil, err
	}
	byID := map[int64]taskRow{}
	for _, t := range existing {
		byID[t.ID] = t
	}
	kept := map[int64]bool{}
	for _, a := range apps {
		for _, t := range a.Tasks {
			if t.ID != 0 {
				if _, ok := byID[t.ID]; !ok || kept[t.ID] {
					return nil, fmt.Errorf("%w: task %d is not a task of this plan (or is listed twice)", ErrInvalid, t.ID)
				}
				kept[t.ID] = true
			}
		}
	}
	// The tasks left out: those with progress are archived or refuse the
	// change, before anything is written.
	var left []int64
	for _, t := range existing {
		if !kept[t.ID] {
			left = append(left, t.ID)
		}
	}
	counts, err := progressCounts(tx, left)
	if err != nil {
		return nil, err
	}
	appIndex := map[int64]int{}
	for i, a := range stored {
		appIndex[a.ID] = i
	}
	var withProgress []TaskRef
	var drop []int64
	for _, id := range left {
		t := byID[id]
		if n := counts[id]; n > 0 {
			withProgress = append(withProgress, TaskRef{ID: id, Appendix: appIndex[t.AppendixID], Number: t.Position + 1,
				Content: cutText(t.Content, 80), Submissions: n})
		} else {
			drop = append(drop, id)
		}
	}
	if len(withProgress) > 0 && !opt.ArchiveTasks {
		return nil, &ProgressError{Tasks: withProgress}
	}
	var plan planRow
	if err := tx.Select("id, agency_id").Take(&plan, planID).Error; err != nil {
		return nil, err
	}
	root, err := rootOf(tx, plan.AgencyID)
	if err != nil {
		return nil, err
	}
	scope := sql.NullInt64{Int64: root, Valid: true}
	// Archived tasks move to the hidden appendix first, out of the reach
	// of appendices deleted below; they keep their STT (position).
	if len(withProgress) > 0 {
		holder, err := archiveAppendix(tx, planID)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(withProgress))
		for i, t := range withProgress {
			ids[i] = t.ID
		}
		if err := tx.Model(&taskRow{}).Where("id IN ?", ids).Updates(map[string]any{"archived_at": s.now(), "appendix_id": holder,
			"version": gorm.Expr("version + 1"), "updated_at": s.now()}).Error; err != nil {
			return nil, err
		}
	}
	if len(drop) > 0 {
		if err := tx.Where("id IN ?", drop).Delete(&taskRow{}).Error; err != nil {
			return nil, err
		}
	}
	// Positions are moved out of the way first: (plan_id, position) is
	// unique. The hidden appendix (-1) stays where it is.
	if err := tx.Model(&appendixRow{}).Where("plan_id = ? AND position >= 0", planID).Update("position", gorm.Expr("-2 - position")).Error; err != nil {
		return nil, err
	}
	for i, a := range apps {
		ar := appendixRow{PlanID: planID, Position: i, Heading: a.Heading, Title: a.Title,
			Columns: mustJSON(a.Columns), AgencyList: a.AgencyList, TrackOnly: a.TrackOnly}
		if a.Landscape != nil {
			ar.Landscape = sql.NullBool{Bool: *a.Landscape, Valid: true}
		}
		if i < len(stored) {
			ar.ID = stored[i].ID
			if err := tx.Save(&ar).Error; err != nil {
				return nil, err
			}
		} else if err := tx.Create(&ar).Error; err != nil {
			return nil, err
		}
		for pos := range a.Tasks {
			t := &a.Tasks[pos]
			if _, err := s.saveTask(tx, planID, ar.ID, pos, t, byID[t.ID], scope); err != nil {
				return nil, err
			}
		}
	}
	if len(stored) > len(apps) {
		if err := tx.Where("plan_id = ? AND position <= -2", planID).Delete(&appendixRow{}).Error; err != nil {
			return nil, err
		}
	}
	return withProgress, nil
}

// saveTask inserts or updates one task and its agencies.
func (s *Store) saveTask(tx *gorm.DB, planID, appendixID int64, pos int, t *doc.Task, old taskRow, scope sql.NullInt64) (taskRow, error) {
	r := taskRow{ID: old.ID, PlanID: planID, AppendixID: appendixID, Position: pos, Content: t.Content,
		Output: t.Output, Deadline: t.Deadline.Text, Note: t.Note, Version: old.Version + 1,
		CreatedAt: old.CreatedAt, UpdatedAt: s.now()}
	if r.ID == 0 {
		r.CreatedAt = s.now()
		if err := tx.Create(&r).Error; err != nil {
			return r, err
		}
	} else {
		if err := tx.Save(&r).Error; err != nil {
			return r, err
		}
		if err := tx.Where("task_id = ?", r.ID).Delete(&taskAgencyRow{}).Error; err != nil {
			return r, err
		}
	}
	for role, names := range map[string][]string{roleLead: t.Lead, roleCooperating: t.Cooperating} {
		listed := map[int64]bool{}
		for i, n := range names {
			aid, err := s.entryAgency(tx, n, scope)
			if err != nil {
				return r, err
			}
			if aid.Valid && listed[aid.Int64] {
				// The same agency again under another spelling: the text
				// stays, one link per agency and role.
				aid = sql.NullInt64{}
			} else if aid.Valid {
				listed[aid.Int64] = true
			}
			if err := tx.Create(&taskAgencyRow{TaskID: r.ID, Role: role, Position: i, AgencyID: aid, WrittenAs: n}).Error; err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// GetPlan reads a plan back as a document.
func (s *Store) GetPlan(ctx context.Context, id int64) (Plan, error) {
	var p Plan
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		var r planRow
		if err := tx.Take(&r, id).Error; err != nil {
			return err
		}
		d := &doc.Document{Kind: r.Kind, Number: r.Number, Symbol: r.Symbol, Issuer: r.Issuer,
			Title: r.Title, Authority: r.Authority, Body: r.Body, Archive: r.Archive, ReportDueDay: r.ReportDueDay}
		var err error
		if d.Date, err = doc.ParseDate(r.Date); err != nil {
			return fmt.Errorf("stored date of plan %d: %w", id, err)
		}
		for _, j := range []struct {
			src string
			dst any
		}{{r.LegalBases, &d.LegalBases}, {r.Recipients, &d.Recipients}, {r.Signature, &d.Signature}, {r.PromulgatedBy, &d.PromulgatedBy}} {
			if err := json.Unmarshal([]byte(j.src), j.dst); err != nil {
				return fmt.Errorf("stored plan %d: %w", id, err)
			}
		}
		if len(d.LegalBases) == 0 {
			d.LegalBases = nil
		}
		if len(d.Recipients) == 0 {
			d.Recipients = nil
		}
		ag, err := loadAgency(tx, r.AgencyID)
		if err != nil {
			return err
		}
		d.Agency = ag
		if d.Appendices, err = loadAppendices(tx, id); err != nil {
			return err
		}
		p = Plan{ID: r.ID, Version: r.Version, AgencyID: r.AgencyID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Doc: d}
		return nil
	})
	return p, mapErr(err, "plan")
}

func loadAgency(tx *gorm.DB, id int64) (doc.Agency, error) {
	var r agencyRow
	if err := tx.Take(&r, id).Error; err != nil {
		return doc.Agency{}, err
	}
	a := doc.Agency{Name: r.Name, ShortName: r.ShortName, Symbol: r.Symbol, Place: r.Place}
	if err := storedJSON(r.Header, &a.Header); err != nil {
		return doc.Agency{}, fmt.Errorf("agency %d header: %w", r.ID, err)
	}
	if len(a.Header) == 0 {
		a.Header = nil
	}
	if r.ParentID.Valid {
		var pr agencyRow
		if err := tx.Take(&pr, r.ParentID.Int64).Error; err != nil {
			return doc.Agency{}, err
		}
		p := doc.Agency{Name: pr.Name, ShortName: pr.ShortName}
		if err := storedJSON(pr.Header, &p.Header); err != nil {
			return doc.Agency{}, fmt.Errorf("agency %d header: %w", pr.ID, err)
		}
		if len(p.Header) == 0 {
			p.Header = nil
		}
		a.Parent = &p
	}
	return a, nil
}

func loadAppendices(tx *gorm.DB, planID int64) ([]doc.Appendix, error) {
	var apps []appendixRow
	if err := tx.Where("plan_id = ? AND position >= 0", planID).Order("position").Find(&apps).Error; err != nil {
		return nil, err
	}
	var tasks []taskRow
	if err := tx.Where("plan_id = ? AND archived_at IS NULL", planID).Order("appendix_id, position").Find(&tasks).Error; err != nil {
		return nil, err
	}
	var links []taskAgencyRow
	if err := tx.Where("task_id IN (?)", tx.Model(&taskRow{}).Select("id").Where("plan_id = ? AND archived_at IS NULL", planID)).
		Order("task_id, role, position").Find(&links).Error; err != nil {
		return nil, err
	}
	lead, coop := map[int64][]string{}, map[int64][]string{}
	for _, l := range links {
		if l.Role == roleLead {
			lead[l.TaskID] = append(lead[l.TaskID], l.WrittenAs)
		} else {
			coop[l.TaskID] = append(coop[l.TaskID], l.WrittenAs)
		}
	}
	out := make([]doc.Appendix, len(apps))
	index := map[int64]int{}
	for i, a := range apps {
		index[a.ID] = i
		out[i] = doc.Appendix{Heading: a.Heading, Title: a.Title, AgencyList: a.AgencyList, TrackOnly: a.TrackOnly, Tasks: []doc.Task{}}
		if err := storedJSON(a.Columns, &out[i].Columns); err != nil {
			return nil, fmt.Errorf("appendix %d columns: %w", a.ID, err)
		}
		if a.Landscape.Valid {
			l := a.Landscape.Bool
			out[i].Landscape = &l
		}
	}
	for _, t := range tasks {
		i := index[t.AppendixID]
		out[i].Tasks = append(out[i].Tasks, doc.Task{ID: t.ID, Content: t.Content, Lead: lead[t.ID],
			Cooperating: coop[t.ID], Output: t.Output, Deadline: doc.Deadline{Text: t.Deadline}, Note: t.Note})
	}
	return out, nil
}

// ListPlans returns a page of plans and the total that match.
func (s *Store) ListPlans(ctx context.Context, f PlanFilter) ([]PlanSummary, int64, error) {
	q := s.read(ctx).Table("plans").Joins("JOIN agencies ON agencies.id = plans.agency_id")
	if f.Year != 0 {
		q = q.Where("plans.year = ?", f.Year)
	}
	if f.AgencyID != 0 {
		q = q.Where("plans.agency_id = ?", f.AgencyID)
	}
	if f.Kind != "" {
		q = q.Where("plans.kind = ?", f.Kind)
	}
	if f.Involves != 0 {
		q = q.Where(involvesSQL, f.Involves, f.Involves)
	}
	if n, sym, ok := ReferenceQuery(f.Query); ok {
		// A number and symbol ("20/KH-UBND", "Số 20", "20/"): the plan so
		// numbered.
		q = q.Where("plans.number = ?", n)
		if sym != "" {
			q = q.Where("(CASE WHEN plans.symbol <> '' THEN plans.symbol ELSE plans.kind || '-' || agencies.symbol END) = ?", sym)
		}
	} else {
		for _, w := range strings.Fields(Fold(f.Query)) {
			q = q.Where("plans.title_key LIKE ? ESCAPE '\\'", "%"+likeEscape(w)+"%")
		}
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("list plans: %w", err)
	}
	var rows []struct {
		ID           int64
		Kind         string
		Number       int
		Symbol       string
		Date         string
		Year         int
		Title        string
		AgencyID     int64
		Version      int64
		UpdatedAt    time.Time
		AgencyName   string
		AgencySymbol string
		Tasks        int64
	}
	err := q.Select("plans.id, plans.kind, plans.number, plans.symbol, plans.date, plans.year, plans.title, plans.agency_id, plans.version, plans.updated_at, agencies.name AS agency_name, agencies.symbol AS agency_symbol, (SELECT COUNT(*) FROM tasks WHERE tasks.plan_id = plans.id AND tasks.archived_at IS NULL) AS tasks").
		Order("plans.year DESC, plans.id DESC").Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list plans: %w", err)
	}
	out := make([]PlanSummary, len(rows))
	for i, r := range rows {
		d := doc.Document{Kind: r.Kind, Number: r.Number, Symbol: r.Symbol, Agency: doc.Agency{Symbol: r.AgencySymbol}}
		out[i] = PlanSummary{ID: r.ID, Kind: r.Kind, Number: r.Number, Reference: strings.TrimSpace(d.NumberAndSymbol()),
			Date: r.Date, Year: r.Year, Title: r.Title, AgencyID: r.AgencyID, AgencyName: r.AgencyName,
			Tasks: r.Tasks, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, total, nil
}

var referenceRe = regexp.MustCompile(`^(?i:số)?\s*:?\s*0*(\d{1,6})\s*(/\s*(\S*))?$`)

// ReferenceQuery reads a search for a document's number and symbol as a
// clerk types it: "20/KH-UBND", "số 20/kh-ubnd", "Số: 20", "20/"; a bare
// number is not one (it searches the titles). The symbol is answered in
// capitals, as symbols are written.
func ReferenceQuery(q string) (number int, symbol string, ok bool) {
	q = strings.TrimSpace(q)
	m := referenceRe.FindStringSubmatch(q)
	if m == nil || (m[2] == "" && !strings.HasPrefix(strings.ToLower(q), "số")) {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n == 0 {
		return 0, "", false
	}
	return n, strings.ToUpper(m[3]), true
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// DeletePlan deletes a plan with its appendices and tasks. A plan with
// periodic reports, reminder letters or issues (ErrInUse) or progress submissions, on its tasks or on
// archived ones (ErrHasProgress), is refused: nothing reported is lost.
func (s *Store) DeletePlan(ctx context.Context, id, version int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&reportRow{}).Where("plan_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: the plan has %d periodic reports", ErrInUse, n)
		}
		if err := tx.Model(&letterRow{}).Where("plan_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: the plan has %d reminder letters", ErrInUse, n)
		}
		if err := refuseIssued(tx, id); err != nil {
			return err
		}
		if err := tx.Model(&planIssueRow{}).Where("plan_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: the plan was issued %d times; its issued files are kept", ErrInUse, n)
		}
		// Locked (PostgreSQL), so that no submission comes in between the
		// count and the delete.
		if err := s.lockRows(tx.Model(&taskRow{}).Select("id").Where("plan_id = ?", id)).Find(&[]taskRow{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&progressRow{}).Where("plan_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: the plan has %d progress submissions; they are kept, so the plan cannot be deleted", ErrHasProgress, n)
		}
		q := tx.Where("id = ?", id)
		if version > 0 {
			q = q.Where("version = ?", version)
		}
		res := q.Delete(&planRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return staleOrMissing(tx, &planRow{}, id)
		}
		return nil
	})
	return mapErr(err, "plan")
}

// storedJSON decodes a JSON column; an empty one is the zero value. A
// column that does not decode is an error, never a silently empty field
// that would print.
func storedJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}
