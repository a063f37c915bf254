package store

import (
	"errors"
	"fmt"
	"time"
)

// ErrLocked is returned, wrapped in a *HeldError naming the holder, by Lock
// when another run holds the store.
var ErrLocked = errors.New("another run holds the store")

// Holder says who holds a store's run lock: what a second run prints.
type Holder struct {
	Host  string
	PID   int
	Since time.Time
	// Expires is when a lease the holder stops renewing (it was killed)
	// may be taken over; zero for a lock the database releases itself when
	// the holder's connection ends.
	Expires time.Time
}

// HeldError is the error of a Lock that found the store held.
type HeldError struct{ Holder Holder }

func (e *HeldError) Error() string {
	h := e.Holder
	return fmt.Sprintf("another run holds the store: host %s, pid %d, since %s",
		h.Host, h.PID, h.Since.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrLocked) hold.
func (e *HeldError) Is(target error) bool { return target == ErrLocked }

// DefaultLockTTL is how long a run's lease outlives its last renewal: long
// enough that a stalled but live run (a GC pause, a slow disk) keeps it,
// short enough that a killed run's store is free again within minutes.
const DefaultLockTTL = 2 * time.Minute
