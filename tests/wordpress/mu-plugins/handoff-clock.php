<?php
/**
 * Test site only (mu-plugin): moves Aisle's clock (the aisle_now filter, Chat\Handoff::now()) by
 * the seconds in the option aisle_test_clock_offset, so a test can let the handoff's 3 minutes
 * pass without waiting for them.
 */
add_filter( 'aisle_now', static fn ( int $now ): int => $now + (int) get_option( 'aisle_test_clock_offset', 0 ) );
