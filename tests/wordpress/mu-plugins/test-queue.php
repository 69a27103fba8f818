<?php
/**
 * Test site only (mu-plugin): with AISLE_TEST_MANUAL_QUEUE (the tests, not the demo) Action
 * Scheduler runs only when a test says so, like `wp action-scheduler run`, so a test sees exactly
 * the jobs it caused. WP-Cron is off in wp-config.php then; this also turns off the loopback
 * runner Action Scheduler starts after admin requests.
 */
if ( defined( 'AISLE_TEST_MANUAL_QUEUE' ) ) {
	add_filter( 'action_scheduler_allow_async_request_runner', '__return_false' );
}

/**
 * Runs due pending actions of $group (Aisle's by default; '' for every group) through Action
 * Scheduler's own queue runner, oldest first, until none is due or $max ran. Returns how many ran.
 */
function aisle_test_run_actions( int $max = 1000, string $group = 'aisle' ): int {
	$store  = ActionScheduler::store();
	$runner = ActionScheduler::runner();
	$ran    = 0;
	while ( $ran < $max ) {
		$query = array(
			'status'       => ActionScheduler_Store::STATUS_PENDING,
			'date'         => as_get_datetime_object(),
			'date_compare' => '<=',
			'per_page'     => 1,
			'orderby'      => 'date',
			'order'        => 'ASC',
		);
		if ( '' !== $group ) {
			$query['group'] = $group;
		}
		$ids = $store->query_actions( $query );
		if ( ! $ids ) {
			break;
		}
		$runner->process_action( (int) $ids[0], 'aisle-tests' );
		++$ran;
	}
	return $ran;
}

/** Pending actions of Aisle's group: [['hook' => …, 'status' => 'pending', 'args' => […]], …]. */
function aisle_test_pending_actions( string $group = 'aisle' ): array {
	$out = array();
	foreach ( as_get_scheduled_actions( array( 'group' => $group, 'status' => ActionScheduler_Store::STATUS_PENDING, 'per_page' => -1 ) ) as $action ) {
		$out[] = array( 'hook' => $action->get_hook(), 'status' => 'pending', 'args' => $action->get_args() );
	}
	return $out;
}

/** Makes Aisle's pending actions of $hook due now (a test's stand-in for waiting). */
function aisle_test_make_due( string $hook ): int {
	global $wpdb;
	return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->prefix}actionscheduler_actions SET scheduled_date_gmt = UTC_TIMESTAMP() - INTERVAL 1 SECOND, scheduled_date_local = NOW() - INTERVAL 1 SECOND WHERE hook = %s AND status = 'pending'", $hook ) );
}
