<?php
/**
 * @package AisleClassic
 */
?><!DOCTYPE html>
<html <?php language_attributes(); ?>>
<head>
<meta charset="<?php bloginfo( 'charset' ); ?>">
<meta name="viewport" content="width=device-width, initial-scale=1">
<?php wp_head(); ?>
</head>
<body <?php body_class(); ?>>
<?php wp_body_open(); ?>
<header class="site-header"><p class="site-title"><a href="<?php echo esc_url( home_url( '/' ) ); ?>"><?php bloginfo( 'name' ); ?></a></p>
<form role="search" method="get" action="<?php echo esc_url( home_url( '/' ) ); ?>"><label>Search <input type="search" name="s"></label><button type="submit">Search</button></form></header>
<div class="site"><main class="site-main" id="main">
