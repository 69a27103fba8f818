<?php
/**
 * Uninstall: removes every option, table, scheduled action, transient and file Aisle created.
 * Runs without the extension or WooCommerce (either may already be gone), so it loads nothing
 * that needs them.
 *
 * @package Aisle
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/Installer.php';
require_once __DIR__ . '/includes/Storage.php';
require_once __DIR__ . '/includes/Catalog/IndexStore.php';

global $wpdb;

// Free this site's license seat first (it needs the stored key). Only with the extension and an
// activation server; a failure must not stop the clean-up below.
if ( class_exists( \Aisle\License::class ) && class_exists( \Aisle\Vault::class ) ) {
	require_once __DIR__ . '/includes/Privacy/Secrets.php';
	require_once __DIR__ . '/includes/Licensing/LicenseManager.php';
	try {
		( new \Aisle\Plugin\Licensing\LicenseManager( new \Aisle\Plugin\Privacy\Secrets() ) )->release_seat( 3000 );
	} catch ( \Throwable $aisle_e ) {
		unset( $aisle_e ); // Nothing to report to: the plugin is being deleted.
	}
}

// Scheduled actions (Action Scheduler is WooCommerce's; only when it is loaded).
if ( function_exists( 'as_unschedule_all_actions' ) ) {
	foreach ( \Aisle\Plugin\Installer::HOOKS as $aisle_hook ) {
		as_unschedule_all_actions( $aisle_hook );
	}
}

// Options and transients: every name starts with "aisle_" (transients: _transient_aisle_…).
$aisle_like = array( 'aisle\_%', '\_transient\_aisle\_%', '\_transient\_timeout\_aisle\_%', '\_site\_transient\_aisle\_%', '\_site\_transient\_timeout\_aisle\_%' );
foreach ( $aisle_like as $aisle_pattern ) {
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $aisle_pattern ) ); // phpcs:ignore WordPress.DB
}
wp_cache_flush();

// Tables.
$wpdb->query( 'DROP TABLE IF EXISTS ' . \Aisle\Plugin\Installer::table() ); // phpcs:ignore WordPress.DB
foreach ( array( 'aisle_conversations', 'aisle_messages', 'aisle_leads', 'aisle_events' ) as $aisle_table ) {
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}{$aisle_table}" ); // phpcs:ignore WordPress.DB
}
wp_clear_scheduled_hook( 'aisle_retention_purge' );

// Chat staff profiles (Chat\Handoff) and the capability activation gave to roles.
delete_metadata( 'user', 0, 'aisle_display_name', '', true );
delete_metadata( 'user', 0, 'aisle_avatar_url', '', true );
foreach ( wp_roles()->role_objects as $aisle_role ) {
	$aisle_role->remove_cap( 'aisle_answer_chats' );
}

// Files: the index, snapshot and deny rules under uploads/aisle, and the index folder AISLE_INDEX_DIR names.
\Aisle\Plugin\Storage::remove_tree( \Aisle\Plugin\Catalog\IndexStore::base() );
\Aisle\Plugin\Storage::remove_tree( \Aisle\Plugin\Storage::dir() );
