-- The Genius source schema, as GENIUS_SCHEMA.md §5 lists it (no foreign keys: Genius declares none).
-- Indexes: the primary key, plus the delta column where the table has one.

CREATE TABLE `division_region` (
  `id` SMALLINT NOT NULL,
  `name` VARCHAR(64) NULL,
  `is_active` TINYINT(1) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `division_group` (
  `id` SMALLINT NOT NULL,
  `group_label` VARCHAR(64) NULL,
  `region` INT NOT NULL,
  `default_time_zone_name` VARCHAR(64) NOT NULL,
  `intern_payroll_start` INT NULL,
  `painter_payroll_start` INT NULL,
  `is_active` TINYINT(1) NOT NULL,
  `cc_profile_id` VARCHAR(32) NULL,
  `mes_profile_id` VARCHAR(25) NULL,
  `mes_profile_key` VARCHAR(50) NULL,
  `docusign_acct_id` VARCHAR(50) NULL,
  `paysimple_username` VARCHAR(20) NULL,
  `paysimple_secret` VARCHAR(150) NULL,
  `hub_account_id` INT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `division_group_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `division` (
  `id` INT NOT NULL,
  `group_id` SMALLINT NULL,
  `region_id` SMALLINT NULL,
  `label` VARCHAR(255) NULL,
  `abbreviation` VARCHAR(50) NULL,
  `is_utility` TINYINT(1) NOT NULL,
  `is_corp` TINYINT(1) NOT NULL,
  `is_omniscient` TINYINT(1) NOT NULL,
  `is_inactive` INT NOT NULL,
  `account_scheduler_id` INT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `division_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `user_title` (
  `id` SMALLINT NOT NULL,
  `title` VARCHAR(100) NULL,
  `abbreviation` VARCHAR(10) NULL,
  `roles` VARCHAR(256) NULL,
  `type_id` SMALLINT NOT NULL,
  `section_id` SMALLINT NULL,
  `sort` SMALLINT NOT NULL,
  `pay_component_group_id` SMALLINT NULL,
  `is_active` TINYINT(1) NOT NULL,
  `is_unique_per_division` TINYINT(1) NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `user_title_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `service` (
  `id` SMALLINT NOT NULL,
  `label` VARCHAR(100) NULL,
  `is_active` TINYINT(1) NOT NULL,
  `is_lead_required` TINYINT(1) NOT NULL,
  `order_number` SMALLINT NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `service_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `appointment_type` (
  `id` INT NOT NULL,
  `label` VARCHAR(50) NULL,
  `is_active` TINYINT(1) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `appointment_outcome_type` (
  `id` INT NOT NULL,
  `label` VARCHAR(50) NULL,
  `sort_idx` SMALLINT UNSIGNED NOT NULL,
  `is_active` TINYINT(1) NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `appointment_outcome` (
  `id` INT NOT NULL,
  `type_id` SMALLINT UNSIGNED NOT NULL,
  `label` VARCHAR(50) NULL,
  `is_active` TINYINT(1) NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `appointment_outcome_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `marketing_source_type` (
  `id` INT NOT NULL,
  `label` VARCHAR(255) NULL,
  `description` TEXT NULL,
  `is_active` TINYINT(1) NOT NULL,
  `list_order` INT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NULL,
  PRIMARY KEY (`id`),
  KEY `marketing_source_type_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `marketsharp_source` (
  `id` INT NOT NULL,
  `marketsharp_id` VARCHAR(256) NOT NULL,
  `source_name` VARCHAR(128) NOT NULL,
  `inactive` SMALLINT NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `marketsharp_source_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_status` (
  `id` INT NOT NULL,
  `label` VARCHAR(50) NULL,
  `is_system` SMALLINT NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_change_order_type` (
  `id` INT NOT NULL,
  `label` VARCHAR(32) NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_change_order_status` (
  `id` INT NOT NULL,
  `label` VARCHAR(32) NOT NULL,
  `is_selectable` SMALLINT NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_change_order_reason` (
  `id` INT NOT NULL,
  `label` VARCHAR(100) NULL,
  `description` VARCHAR(255) NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `integration_field_definition` (
  `id` INT NOT NULL,
  `integration_id` INT NOT NULL,
  `label` VARCHAR(32) NOT NULL,
  `key_name` VARCHAR(64) NOT NULL,
  `is_user` TINYINT(1) NOT NULL,
  `is_division` TINYINT(1) NOT NULL,
  `hint` VARCHAR(255) NULL,
  `input_type` VARCHAR(50) NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `users_userassociations` (
  `id` INT NOT NULL,
  `primary_user_id` INT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `users_userassociations_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `user_data` (
  `user_id` INT NOT NULL,
  `division_id` INT NOT NULL,
  `title_id` SMALLINT NULL,
  `manager_user_id` INT NULL,
  `first_name` VARCHAR(100) NULL,
  `first_name_alt` VARCHAR(100) NULL,
  `last_name` VARCHAR(100) NULL,
  `email` VARCHAR(254) NULL,
  `personal_email` VARCHAR(254) NULL,
  `birth_date` DATE NULL,
  `gender_id` INT NULL,
  `marital_status_id` INT NULL,
  `time_zone_name` VARCHAR(50) NOT NULL,
  `hired_on` DATETIME NULL,
  `start_date` DATETIME NULL,
  `add_user_id` INT NULL,
  `add_datetime` DATETIME NULL,
  `is_inactive` TINYINT(1) NOT NULL,
  `inactive_on` DATETIME NULL,
  `inactive_reason_id` SMALLINT NULL,
  `inactive_reason_other` VARCHAR(255) NULL,
  `user_associations_id` INT NULL,
  `inactive_transfer_division_id` INT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`user_id`),
  KEY `user_data_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `marketing_source` (
  `id` INT NOT NULL,
  `type_id` INT NOT NULL,
  `label` VARCHAR(255) NULL,
  `description` TEXT NULL,
  `start_date` DATE NULL,
  `end_date` DATE NULL,
  `add_user_id` INT NOT NULL,
  `add_date` DATETIME NULL,
  `is_active` TINYINT(1) NOT NULL,
  `is_allow_lead_modification` TINYINT(1) NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `marketing_source_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `marketsharp_marketing_source_map` (
  `marketsharp_id` VARCHAR(128) NOT NULL,
  `marketing_source_id` INT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`marketsharp_id`),
  KEY `marketsharp_marketing_source_map_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `integration_field` (
  `id` INT NOT NULL,
  `definition_id` INT NOT NULL,
  `user_id` INT NULL,
  `division_id` INT NULL,
  `field_value` VARCHAR(128) NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `integration_field_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `prospect` (
  `id` INT NOT NULL,
  `division_id` INT NOT NULL,
  `user_id` INT NULL,
  `first_name` VARCHAR(100) NULL,
  `last_name` VARCHAR(100) NULL,
  `alt_first_name` VARCHAR(100) NULL,
  `alt_last_name` VARCHAR(100) NULL,
  `address1` VARCHAR(255) NULL,
  `address2` VARCHAR(255) NULL,
  `city` VARCHAR(100) NULL,
  `county` VARCHAR(100) NULL,
  `state` VARCHAR(2) NULL,
  `zip` VARCHAR(20) NULL,
  `year_built` SMALLINT NULL,
  `phone1` VARCHAR(20) NULL,
  `phone2` VARCHAR(20) NULL,
  `email` VARCHAR(254) NULL,
  `notes` TEXT NULL,
  `add_user_id` INT NOT NULL,
  `add_date` DATETIME NULL,
  `marketsharp_id` VARCHAR(100) NULL,
  `leap_customer_id` VARCHAR(100) NULL,
  `third_party_source_id` INT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `prospect_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `lead` (
  `lead_id` INT NOT NULL,
  `first_name` VARCHAR(50) NULL,
  `last_name` VARCHAR(50) NULL,
  `email` VARCHAR(100) NULL,
  `phone1` VARCHAR(12) NULL,
  `address1` VARCHAR(50) NULL,
  `city` VARCHAR(50) NULL,
  `state` VARCHAR(2) NULL,
  `zip` VARCHAR(7) NULL,
  `source` SMALLINT NOT NULL,
  `added_by` INT NOT NULL,
  `division` INT NOT NULL,
  `notes` TEXT NULL,
  `status` SMALLINT NULL,
  `copied_to_id` INT NULL,
  `added_on` DATETIME NULL,
  `updated_at` DATETIME NULL,
  PRIMARY KEY (`lead_id`),
  KEY `lead_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `prospect_source` (
  `id` INT NOT NULL,
  `prospect_id` INT NOT NULL,
  `marketing_source_id` INT NOT NULL,
  `source_date` DATETIME NULL,
  `notes` TEXT NULL,
  `add_user_id` INT NOT NULL,
  `add_date` DATETIME NOT NULL,
  `updated_at` DATETIME NULL,
  `source_user_id` INT NULL,
  PRIMARY KEY (`id`),
  KEY `prospect_source_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `appointment` (
  `id` INT NOT NULL,
  `prospect_id` INT NOT NULL,
  `prospect_source_id` INT NULL,
  `user_id` INT NULL,
  `type_id` INT NOT NULL,
  `date` DATE NULL,
  `time` TIME NULL,
  `duration` TIME NULL,
  `address1` VARCHAR(255) NULL,
  `address2` VARCHAR(255) NULL,
  `city` VARCHAR(100) NULL,
  `state` VARCHAR(2) NULL,
  `zip` VARCHAR(20) NULL,
  `email` VARCHAR(254) NULL,
  `notes` TEXT NULL,
  `add_user_id` INT NOT NULL,
  `add_date` DATETIME NOT NULL,
  `assign_date` DATETIME NULL,
  `confirm_user_id` INT NULL,
  `confirm_date` DATETIME NULL,
  `confirm_with` VARCHAR(100) NULL,
  `spouses_present` INT NOT NULL,
  `is_complete` INT NOT NULL,
  `complete_outcome_id` INT NULL,
  `complete_user_id` INT NULL,
  `complete_date` DATETIME NULL,
  `updated_at` DATETIME NOT NULL,
  `marketsharp_id` VARCHAR(100) NULL,
  `marketsharp_appt_type` VARCHAR(100) NULL,
  `leap_estimate_id` VARCHAR(100) NULL,
  `third_party_source_id` INT NULL,
  PRIMARY KEY (`id`),
  KEY `appointment_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job` (
  `id` INT NOT NULL,
  `client_cid` INT NULL,
  `prospect_id` INT NOT NULL,
  `division_id` INT NOT NULL,
  `user_id` INT NULL,
  `production_user_id` INT NULL,
  `project_coordinator_user_id` INT NULL,
  `production_month` INT NULL,
  `subcontractor_id` INT NULL,
  `subcontractor_status_id` SMALLINT NULL,
  `subcontractor_confirmed` SMALLINT NOT NULL,
  `status` INT NOT NULL,
  `is_in_progress` SMALLINT NOT NULL,
  `ready_status` SMALLINT NULL,
  `prep_status_id` SMALLINT NULL,
  `prep_status_set_date` DATETIME NULL,
  `prep_status_is_reset` SMALLINT NOT NULL,
  `prep_status_notes` TEXT NULL,
  `prep_issue_id` VARCHAR(32) NULL,
  `service_id` SMALLINT NOT NULL,
  `is_lead_pb` SMALLINT NOT NULL,
  `contract_number` VARCHAR(50) NULL,
  `contract_date` DATE NULL,
  `contract_amount` DECIMAL(11,2) NOT NULL,
  `contract_amount_difference` TEXT NULL,
  `contract_hours` INT NOT NULL,
  `contract_file_id` INT NULL,
  `job_value` DECIMAL(11,2) NOT NULL,
  `deposit_amount` DECIMAL(11,2) NOT NULL,
  `deposit_type_id` SMALLINT NULL,
  `is_financing` SMALLINT NOT NULL,
  `sales_tax_rate` DECIMAL(7,5) NOT NULL,
  `is_sales_tax_exempt` SMALLINT NOT NULL,
  `commission_payout` DECIMAL(11,2) NOT NULL,
  `accrued_commission_payout` DECIMAL(11,2) NOT NULL,
  `sold_user_id` INT NULL,
  `sold_date` DATE NULL,
  `start_request_date` DATE NULL,
  `deadline_date` DATE NULL,
  `ready_date` DATE NULL,
  `jsa_sent` SMALLINT NULL,
  `start_date` DATE NULL,
  `end_date` DATE NULL,
  `add_user_id` INT NOT NULL,
  `add_date` DATETIME NOT NULL,
  `cancel_date` DATE NULL,
  `cancel_user_id` INT NULL,
  `cancel_reason_id` SMALLINT NULL,
  `is_refund` SMALLINT NOT NULL,
  `refund_date` DATE NULL,
  `refund_user_id` INT NULL,
  `finish_date` DATE NULL,
  `is_earned_not_paid` SMALLINT NOT NULL,
  `materials_arrival_date` DATE NULL,
  `measure_date` DATE NULL,
  `measure_time` TIME NULL,
  `measure_user_id` INT NULL,
  `time_format` SMALLINT NULL,
  `materials_estimated_arrival_date` DATE NULL,
  `materials_ordered` DATETIME NULL,
  `install_date` DATE NULL,
  `install_time` TIME NULL,
  `install_time_format` SMALLINT NULL,
  `price_level` VARCHAR(32) NULL,
  `price_level_goal` SMALLINT NULL,
  `price_level_commission` DECIMAL(3,1) NULL,
  `price_level_commission_reduction` SMALLINT NULL,
  `is_reviewed` SMALLINT NOT NULL,
  `reviewed_by` INT NULL,
  `pp_id_updated` SMALLINT NOT NULL,
  `hoa` SMALLINT NULL,
  `hoa_approved` SMALLINT NULL,
  `materials_ordered_old` SMALLINT NULL,
  `start_month_old` SMALLINT NULL,
  `cogs_report_month` VARCHAR(50) NULL,
  `is_cogs_report_month_updated` SMALLINT NOT NULL,
  `forecast_month` VARCHAR(50) NULL,
  `coc_sent_on` DATETIME NULL,
  `coc_sent_by` INT NULL,
  `company_cam_link` VARCHAR(256) NULL,
  `pm_finished_on` DATE NULL,
  `estimate_job_duration` SMALLINT NULL,
  `payment_not_finalized_reason` INT NULL,
  `reasons_other` VARCHAR(255) NULL,
  `payment_type` INT NULL,
  `payment_amount` DECIMAL(11,2) NULL,
  `is_payment_finalized` SMALLINT NULL,
  `is_company_cam` SMALLINT NULL,
  `is_five_star_review` SMALLINT NULL,
  `projected_end_date` DATE NULL,
  `is_company_cam_images_correct` SMALLINT NULL,
  `post_pm_closeout_date` DATE NULL,
  `pre_pm_closeout_date` DATE NULL,
  `actual_install_date` DATETIME NULL,
  `in_progress_substatus_id` INT NULL,
  `is_loan_document_uptodate` SMALLINT NULL,
  `is_labor_adjustment_correct` SMALLINT NULL,
  `is_change_order_correct` SMALLINT NULL,
  `is_coc_pdf_attached` SMALLINT NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `job_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `quote` (
  `id` INT NOT NULL,
  `prospect_id` INT NOT NULL,
  `appointment_id` INT NOT NULL,
  `job_id` INT NULL,
  `client_cid` INT NULL,
  `service_id` SMALLINT NOT NULL,
  `label` VARCHAR(255) NULL,
  `description` TEXT NULL,
  `amount` DECIMAL(10,2) NOT NULL,
  `expire_date` DATE NULL,
  `status_id` INT NOT NULL,
  `contract_file_id` INT NULL,
  `estimate_file_id` INT NULL,
  `add_user_id` INT NOT NULL,
  `add_date` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `quote_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_financing` (
  `job_id` INT NOT NULL,
  `term_id` INT NULL,
  `financed_amount` DECIMAL(9,2) NOT NULL,
  `max_financed_amount` DECIMAL(9,2) NOT NULL,
  `bid_rate` DECIMAL(5,3) NULL,
  `commission_reduction` DECIMAL(5,3) NULL,
  `signed_on` DATETIME NULL,
  `cancellation_period_expires_on` DATETIME NULL,
  `app_submission_date` DATETIME NULL,
  `is_joint_application` SMALLINT NOT NULL,
  `applicant` VARCHAR(50) NULL,
  `co_applicant` VARCHAR(50) NULL,
  `status` SMALLINT NOT NULL,
  `approved_on` DATETIME NULL,
  `loan_expiration_date` DATETIME NULL,
  `denied_on` DATETIME NULL,
  `denied_by` INT NULL,
  `why_book` TEXT NULL,
  `would_book` SMALLINT NULL,
  `is_financing_factor` SMALLINT NULL,
  `satisfied` TEXT NULL,
  `docs_completed` DATETIME NULL,
  `active_stipulation_notes` TEXT NULL,
  `is_active_stipulations_cleared` SMALLINT NOT NULL,
  `legal_app_name` VARCHAR(100) NULL,
  PRIMARY KEY (`job_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `appointment_to_service` (
  `appointment_id` INT NOT NULL,
  `service_id` SMALLINT NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`appointment_id`, `service_id`),
  KEY `appointment_to_service_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_change_order` (
  `id` INT NOT NULL,
  `job_id` INT NOT NULL,
  `number` VARCHAR(20) NOT NULL,
  `status_id` SMALLINT NOT NULL,
  `type_id` SMALLINT NOT NULL,
  `adjustment_change_order_id` INT NULL,
  `effective_date` DATE NOT NULL,
  `total_amount` DECIMAL(9,2) NOT NULL,
  `add_user_id` INT NULL,
  `add_date` DATETIME NOT NULL,
  `sold_user_id` INT NULL,
  `sold_date` DATETIME NULL,
  `cancel_user_id` INT NULL,
  `cancel_date` DATETIME NULL,
  `reason_id` SMALLINT NULL,
  `envelope_id` VARCHAR(64) NULL,
  `total_contract_amount` DECIMAL(9,2) NOT NULL,
  `total_pre_change_orders_amount` DECIMAL(9,2) NOT NULL,
  `signer_name` VARCHAR(100) NULL,
  `signer_email` VARCHAR(100) NULL,
  `financing_note` VARCHAR(255) NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `job_change_order_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_change_order_item` (
  `id` INT NOT NULL,
  `change_order_id` INT NOT NULL,
  `description` VARCHAR(256) NULL,
  `amount` DECIMAL(8,2) NOT NULL,
  `created_at` DATETIME NOT NULL,
  `updated_at` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  KEY `job_change_order_item_updated_at_idx` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `third_party_source_type` (
  `id` INT NOT NULL,
  `label` VARCHAR(32) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `third_party_source` (
  `id` INT NOT NULL,
  `third_party_source_type_id` INT NOT NULL,
  `third_party_id` VARCHAR(64) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
