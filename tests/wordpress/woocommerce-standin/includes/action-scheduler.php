<?php
// phpcs:ignoreFile -- test stand-in.
/*
 * Action Scheduler's public functions, with its argument semantics: $args null matches any args,
 * an array matches exactly; as_unschedule_all_actions() with a hook and no args/group cancels
 * every action of the hook. Actions run only when standin_run_actions() is called.
 */

function standin_as_insert( string $hook, array $args, string $group, int $timestamp, int $interval = 0 ): int {
	global $wpdb;
	$wpdb->insert(
		$wpdb->prefix . 'standin_actions',
		array( 'hook' => $hook, 'status' => 'pending', 'scheduled_date_gmt' => gmdate( 'Y-m-d H:i:s', $timestamp ), 'args' => wp_json_encode( $args ), 'group' => $group, 'interval' => $interval )
	);
	return (int) $wpdb->insert_id;
}

function standin_as_where( string $hook, $args, string $group ): string {
	global $wpdb;
	$sql = $wpdb->prepare( "hook = %s AND status IN ('pending', 'in-progress')", $hook );
	if ( is_array( $args ) ) {
		$sql .= $wpdb->prepare( ' AND args = %s', wp_json_encode( $args ) );
	}
	if ( '' !== $group ) {
		$sql .= $wpdb->prepare( ' AND `group` = %s', $group );
	}
	return $sql;
}

function as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	if ( $unique && as_has_scheduled_action( $hook, $args, $group ) ) {
		return 0;
	}
	return standin_as_insert( $hook, $args, $group, time() );
}

function as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	if ( $unique && as_has_scheduled_action( $hook, $args, $group ) ) {
		return 0;
	}
	return standin_as_insert( $hook, $args, $group, (int) $timestamp );
}

function as_schedule_recurring_action( $timestamp, $interval_in_seconds, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	if ( $unique && as_has_scheduled_action( $hook, $args, $group ) ) {
		return 0;
	}
	return standin_as_insert( $hook, $args, $group, (int) $timestamp, (int) $interval_in_seconds );
}

function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
	global $wpdb;
	return (bool) $wpdb->get_var( "SELECT action_id FROM {$wpdb->prefix}standin_actions WHERE " . standin_as_where( $hook, $args, (string) $group ) . ' LIMIT 1' );
}

function as_next_scheduled_action( $hook, $args = null, $group = '' ) {
	global $wpdb;
	$date = $wpdb->get_var( "SELECT scheduled_date_gmt FROM {$wpdb->prefix}standin_actions WHERE " . standin_as_where( $hook, $args, (string) $group ) . ' ORDER BY scheduled_date_gmt LIMIT 1' );
	return $date ? strtotime( $date . ' UTC' ) : false;
}

function as_unschedule_action( $hook, $args = array(), $group = '' ) {
	global $wpdb;
	$id = $wpdb->get_var( "SELECT action_id FROM {$wpdb->prefix}standin_actions WHERE " . standin_as_where( $hook, is_array( $args ) ? $args : null, (string) $group ) . " AND status = 'pending' ORDER BY scheduled_date_gmt LIMIT 1" );
	if ( $id ) {
		$wpdb->update( $wpdb->prefix . 'standin_actions', array( 'status' => 'canceled' ), array( 'action_id' => $id ) );
	}
	return $id ? (int) $id : null;
}

function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	global $wpdb;
	if ( empty( $args ) && ! empty( $hook ) && empty( $group ) ) {
		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->prefix}standin_actions SET status = 'canceled' WHERE hook = %s AND status = 'pending'", $hook ) );
		return;
	}
	if ( empty( $args ) && empty( $hook ) && ! empty( $group ) ) {
		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->prefix}standin_actions SET status = 'canceled' WHERE `group` = %s AND status = 'pending'", $group ) );
		return;
	}
	do {
		$id = as_unschedule_action( $hook, $args, $group );
	} while ( ! empty( $id ) );
}

/**
 * Runs due actions, oldest first, until none is due (or $max ran). Returns how many ran.
 * Like Action Scheduler, an exception marks the action failed and the queue goes on.
 */
function standin_run_actions( int $max = 1000 ): int {
	global $wpdb;
	$table = $wpdb->prefix . 'standin_actions';
	$ran   = 0;
	while ( $ran < $max ) {
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM $table WHERE status = 'pending' AND scheduled_date_gmt <= %s ORDER BY scheduled_date_gmt, action_id LIMIT 1", gmdate( 'Y-m-d H:i:s' ) ) );
		if ( ! $row ) {
			break;
		}
		$wpdb->update( $table, array( 'status' => 'in-progress' ), array( 'action_id' => $row->action_id ) );
		$status = 'complete';
		try {
			do_action_ref_array( $row->hook, (array) json_decode( $row->args, true ) );
		} catch ( Throwable $e ) {
			$status = 'failed';
			error_log( 'stand-in action ' . $row->hook . ' failed: ' . $e->getMessage() );
		}
		$wpdb->update( $table, array( 'status' => $status ), array( 'action_id' => $row->action_id ) );
		if ( $row->interval > 0 ) {
			standin_as_insert( $row->hook, (array) json_decode( $row->args, true ), $row->group, time() + (int) $row->interval, (int) $row->interval );
		}
		++$ran;
	}
	return $ran;
}
