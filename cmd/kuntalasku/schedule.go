package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
)

// ScheduleConfig is the daemon's schedule (SPEC 7).
type ScheduleConfig struct {
	// Cron is when the daemon invoices, a five-field cron spec in
	// Europe/Helsinki time; default "0 7 1 * *" (07:00 on the 1st).
	Cron string `toml:"cron"`
	// Send emails the documents after invoicing (default true); false
	// leaves them for a person to review and send by hand.
	Send *bool `toml:"send"`
}

// defaultSchedule is 07:00 on the first of the month.
const defaultSchedule = "0 7 1 * *"

// cronParser reads the standard five fields.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// parseSchedule reads a schedule and refuses one that ever fires between
// 03:00 and 04:59 in Finland, where the clock jumps or repeats at the
// changes of daylight saving time: a run there could be skipped or doubled.
func parseSchedule(spec string) (cron.Schedule, error) {
	s, err := cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("%q: %v; expected five fields, such as %q (07:00 on the 1st)", spec, err, defaultSchedule)
	}
	t := time.Date(2026, time.January, 1, 0, 0, 0, 0, helsinki)
	end := t.AddDate(4, 0, 0)
	fires := 0
	for i := 0; i < 20000; i++ {
		t = s.Next(t)
		if t.IsZero() || t.After(end) {
			break
		}
		fires++
		if h := t.In(helsinki).Hour(); h == 3 || h == 4 {
			return nil, fmt.Errorf("%q fires at %s: a schedule between 03:00 and 04:59 is refused, because the changes of daylight saving time skip or repeat those hours; choose another time, such as 07:00", spec, t.In(helsinki).Format("15:04"))
		}
	}
	if fires == 0 {
		return nil, fmt.Errorf("%q never fires", spec)
	}
	return s, nil
}

func (c *Config) validateSchedule(ce *configError) {
	if c.Schedule.Cron == "" {
		c.Schedule.Cron = defaultSchedule
	}
	if _, err := parseSchedule(c.Schedule.Cron); err != nil {
		ce.add("schedule.cron", "%v", err)
	}
	if c.Schedule.Send == nil {
		yes := true
		c.Schedule.Send = &yes
	}
}

// runSchedule is "kuntalasku schedule": the daemon. At start-up and at every
// tick of the schedule it invoices every cycle that has ended and is not yet
// invoiced (so a missed month is caught up), then sends (unless
// schedule.send is false). A tick holds the ledger's lock, so it never
// interleaves with a manual command. SIGTERM lets the running cycle finish,
// then the daemon exits 0.
func (m *Main) runSchedule(ctx context.Context, args []string) error {
	fs := m.flagSet("schedule", "--config FILE [--out DIR]",
		"kuntalasku schedule --config /etc/kuntalasku/kuntalasku.toml --out /srv/kuntalasku")
	configPath := fs.String("config", "", "the scheme's configuration `file` (required)")
	outFlag := fs.String("out", "", "output `folder`, which also holds the ledger by default (default: the configuration's output.dir, else ./out)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		fs.Usage()
		return &usageError{"schedule: --config is required"}
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, nil))
	d := &daemon{m: m, configPath: *configPath, outFlag: *outFlag, log: log}
	c := newCron(log)
	id, err := c.Schedule(cfg.Schedule.Cron, cron.FuncJob(func() { d.tick(ctx) }))
	if err != nil {
		return &inputError{err}
	}
	log.Info("kuntalasku schedule started", "config", *configPath, "schedule", cfg.Schedule.Cron, "zone", "Europe/Helsinki", "send", *cfg.Schedule.Send)
	// Catch up at start-up, through the same wrappers as a tick: a tick
	// that fires meanwhile is skipped, a panic is recovered.
	c.Entry(id).WrappedJob.Run()
	if ctx.Err() == nil {
		c.Start()
		log.Info("waiting for the next tick", "next", c.Entry(id).Next.In(helsinki).Format(time.RFC3339))
		<-ctx.Done()
	}
	log.Info("stopping: the running job, if any, finishes first")
	<-c.Stop().Done()
	log.Info("stopped")
	return nil
}

// scheduler is a cron in Europe/Helsinki whose jobs are wrapped to recover
// from a panic (logged) and to be skipped while the previous run is still
// running: cron.New alone does neither.
type scheduler struct{ *cron.Cron }

func newCron(log *slog.Logger) *scheduler {
	l := cronLogger{log}
	return &scheduler{cron.New(cron.WithLocation(helsinki), cron.WithParser(cronParser), cron.WithLogger(l),
		cron.WithChain(cron.Recover(l), cron.SkipIfStillRunning(l)))}
}

// Schedule adds job on spec, refusing the hours of DST changes.
func (s *scheduler) Schedule(spec string, job cron.Job) (cron.EntryID, error) {
	sched, err := parseSchedule(spec)
	if err != nil {
		return 0, err
	}
	return s.Cron.Schedule(sched, job), nil
}

// cronLogger writes cron's log lines with slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" { // a tick while the previous job still runs
		l.log.Warn("a tick was skipped: the previous job is still running", kv...)
		return
	}
	l.log.Debug("cron: "+msg, kv...)
}
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "error", err)...)
}

// daemon is the scheduled job's state.
type daemon struct {
	m          *Main
	configPath string
	outFlag    string
	log        *slog.Logger
}

// tick invoices the due cycles and sends. The configuration is read again
// every tick, so edits apply without a restart. Cancelling ctx (SIGTERM)
// lets the cycle being invoiced finish and stops before the next.
func (d *daemon) tick(ctx context.Context) {
	m := d.m
	cfg, err := LoadConfig(d.configPath)
	if err != nil {
		d.log.Error("the configuration cannot be read; nothing was done", "error", err)
		return
	}
	out := outDir(d.outFlag, cfg)
	work := context.WithoutCancel(ctx)
	release, err := m.lockLedger(work, cfg, out, "schedule")
	if err != nil {
		d.log.Error("the ledger is busy; the next tick tries again", "error", err)
		return
	}
	defer release()
	today := compute.DateOf(m.Now().In(helsinki))
	due, err := dueCycles(work, cfg, out, today)
	if err != nil {
		d.log.Error("the due cycles cannot be read", "error", err)
		return
	}
	if len(due) == 0 {
		d.log.Info("nothing to invoice: every ended cycle is invoiced", "today", today.String())
	}
	for _, id := range due {
		if ctx.Err() != nil {
			d.log.Info("stopping before the next cycle", "cycle", id)
			return
		}
		d.log.Info("invoicing", "cycle", id, "issue_date", today.String())
		if err := d.invoice(work, cfg, out, id, today); err != nil {
			d.log.Error("invoicing failed; later cycles wait for it", "cycle", id, "error", err, "exit_code", exitCode(err))
			return
		}
		d.log.Info("invoiced", "cycle", id)
	}
	if !*cfg.Schedule.Send {
		d.log.Info("not sending: schedule.send is false; review the documents and run kuntalasku send")
		return
	}
	if ctx.Err() != nil {
		return
	}
	err = m.deliver(work, cfg, out, sendFilter{}, false)
	var ue *undeliveredError
	switch {
	case errors.As(err, &ue):
		d.log.Warn("some documents remain undelivered; the next tick retries them", "undelivered", ue.n)
	case err != nil:
		d.log.Error("sending failed", "error", err)
	default:
		d.log.Info("sent")
	}
}

// invoice runs one cycle as "kuntalasku run" does, issued today.
func (d *daemon) invoice(ctx context.Context, cfg *Config, out, id string, today compute.Date) error {
	m := d.m
	created, err := m.now()
	if err != nil {
		return err
	}
	res, err := m.computeInvoicing(cfg, id, "", nil, today, created)
	if err != nil {
		return err
	}
	if err := checkDrafts(ctx, cfg, res, today); err != nil {
		return err
	}
	r := &cycleRun{m: m, cfg: cfg, res: res, issue: today, created: created, out: out, kind: ledger.KindRegular, folder: id}
	return r.execute(ctx)
}

// dueCycles are the cycles that have ended before today and have no
// regular run, in order: the cost-sharing scheme's period's, or the
// per-resident scheme's of the years of its contracts.
func dueCycles(ctx context.Context, cfg *Config, out string, today compute.Date) ([]string, error) {
	var cycles []compute.Cycle
	if cfg.Scheme.Kind == KindPerResident {
		first := today.Year
		for _, p := range cfg.Payers {
			first = min(first, p.ContractStart.d.Year)
		}
		for y := first; y <= today.Year; y++ {
			period, err := feeYearPeriod(fmt.Sprint(y))
			if err != nil {
				return nil, err
			}
			for _, c := range period.Cycles(cfg.Frequency()) {
				if anyContract(cfg, c) {
					cycles = append(cycles, c)
				}
			}
		}
	} else {
		cycles = cfg.Period().Cycles(cfg.Frequency())
	}
	invoiced := map[string]bool{}
	store, err := openLedgerReadOnly(ctx, cfg.LedgerPath(out))
	if err != nil {
		return nil, err
	}
	if store != nil {
		defer store.Close()
		runs, err := store.Runs(ctx, cfg.Scheme.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range runs {
			if r.Kind == ledger.KindRegular {
				invoiced[r.Cycle] = true
			}
		}
	}
	var due []string
	for _, c := range cycles {
		if c.To().Before(today) && !invoiced[c.ID] {
			due = append(due, c.ID)
		}
	}
	return due, nil
}
