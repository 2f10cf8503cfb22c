import { Migration } from '@mikro-orm/migrations';

export class Migration20261128073657_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "alert_rule" ("id" bigserial primary key, "code" varchar(64) not null, "kind" text check ("kind" in ('MICROCREDIT_OVERDUE_RATIO', 'CLASS_BETTER_THAN_FLOOR', 'MATURITY_PEAK', 'MODIFICATION_SHARE', 'FUND_LEVERAGE_EXCEEDED', 'GUARANTEE_FEE_ABOVE_CAP', 'CLAIM_UNPAID_AFTER_AGREEMENT', 'SERVICE_POINT_DORMANT', 'MARGINAL_WITH_OVERDUE_LOAN', 'HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT', 'MICROCREDIT_TERMS_OUTSIDE_CAPS', 'FINDING_OVERDUE')) not null, "name" varchar(200) not null, "enabled" boolean not null default true, "current_version" int not null default 1, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "alert_rule" add constraint "alert_rule_code_unique" unique ("code");`);

    this.addSql(`create table "alert_rule_version" ("id" bigserial primary key, "rule_id" bigint not null, "version" int not null, "threshold" numeric(20,6) null, "window_days" int null, "min_denominator" int null, "severity" text check ("severity" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')) not null, "params" jsonb null, "created_at" timestamptz not null default now(), "created_by" varchar(100) not null, constraint alert_rule_version_params check ((window_days is null or window_days > 0) and (min_denominator is null or min_denominator >= 0)));`);
    this.addSql(`alter table "alert_rule_version" add constraint "alert_rule_version_rule_id_version_unique" unique ("rule_id", "version");`);

    this.addSql(`create table "area" ("code" varchar(12) not null, "name" varchar(100) not null, "level" text check ("level" in ('PROVINCE', 'PREFECTURE', 'COUNTY', 'TOWNSHIP', 'VILLAGE')) not null, "parent_code" varchar(12) null, "statistical_only" boolean not null default false, "valid_from" date null, "valid_to" date null, constraint "area_pkey" primary key ("code"), constraint area_valid_range check (valid_to is null or valid_from is null or valid_to > valid_from), constraint area_code_digits check (code ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?\$'));`);
    this.addSql(`create index "area_parent_code_index" on "area" ("parent_code");`);
    this.addSql(`create index "area_code_prefix_index" on "area" ("code" text_pattern_ops);`);

    this.addSql(`create table "area_designation" ("id" bigserial primary key, "area_code" varchar(12) not null, "kind" text check ("kind" in ('NATIONAL_POVERTY_COUNTY', 'DEEPLY_IMPOVERISHED', 'UNCAPPED_2020', 'RELOCATION_AREA', 'REVITALIZATION_KEY_COUNTY')) not null, "valid_from" date not null, "valid_to" date null, "basis" text not null, "demo_only" boolean not null default false, constraint area_designation_valid_range check (valid_to is null or valid_to > valid_from));`);
    this.addSql(`create index "area_designation_kind_valid_from_index" on "area_designation" ("kind", "valid_from");`);
    this.addSql(`alter table "area_designation" add constraint "area_designation_area_code_kind_valid_from_unique" unique ("area_code", "kind", "valid_from");`);

    this.addSql(`create table "institution" ("id" bigserial primary key, "code" varchar(32) not null, "name" varchar(200) not null, "kind" text check ("kind" in ('BANK', 'INSURER', 'GUARANTOR', 'CENTRAL_BANK', 'REGULATOR', 'GOVERNMENT', 'OPERATOR')) not null, "home_area_code" varchar(12) not null, "parent_id" bigint null, "valid_from" date not null default '2014-01-01', "valid_to" date null, "created_at" timestamptz not null default now(), constraint institution_valid_range check (valid_to is null or valid_to > valid_from));`);
    this.addSql(`alter table "institution" add constraint "institution_code_unique" unique ("code");`);
    this.addSql(`create index "institution_home_area_code_index" on "institution" ("home_area_code");`);
    this.addSql(`create index "institution_parent_id_index" on "institution" ("parent_id");`);

    this.addSql(`create table "ingest_batch" ("id" bigserial primary key, "institution_id" bigint not null, "external_id" varchar(100) not null, "kind" varchar(64) not null, "payload_hash" varchar(64) not null, "item_count" int not null default 0, "received_at" timestamptz not null default now(), constraint ingest_batch_counts check (item_count >= 0));`);
    this.addSql(`alter table "ingest_batch" add constraint "ingest_batch_institution_id_external_id_unique" unique ("institution_id", "external_id");`);

    this.addSql(`create table "household" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "ref" varchar(16) not null, "village_code" varchar(12) not null, "county_code" varchar(12) not null, "status" text check ("status" in ('REGISTERED_POOR', 'LIFTED_OUT', 'MARGINAL', 'OTHER')) not null, "status_since" date not null, "exit_year" smallint null, "registered_on" date null, "attribute" text check ("attribute" in ('GENERAL', 'SUBSISTENCE_ALLOWANCE', 'EXTREME_HARDSHIP')) null, "size" smallint null, "name_enc" bytea not null, "phone_enc" bytea null, "pii_key_version" smallint not null, "version" int not null default 1, constraint household_size check (size is null or (size >= 1 and size <= 30)), constraint household_exit_year check (status <> 'LIFTED_OUT' or exit_year is not null));`);
    this.addSql(`create index "household_source_institution_id_index" on "household" ("source_institution_id");`);
    this.addSql(`create index "household_batch_id_index" on "household" ("batch_id");`);
    this.addSql(`alter table "household" add constraint "household_ref_unique" unique ("ref");`);
    this.addSql(`create index "household_village_code_index" on "household" ("village_code");`);
    this.addSql(`create index "household_county_code_index" on "household" ("county_code");`);

    this.addSql(`create table "household_status_change" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "household_id" bigint not null, "county_code" varchar(12) not null, "status" text check ("status" in ('REGISTERED_POOR', 'LIFTED_OUT', 'MARGINAL', 'OTHER')) not null, "valid_from" date not null, "exit_year" smallint null, "reason" text null, constraint household_status_change_exit_year check (status <> 'LIFTED_OUT' or exit_year is not null));`);
    this.addSql(`create index "household_status_change_source_institution_id_index" on "household_status_change" ("source_institution_id");`);
    this.addSql(`create index "household_status_change_batch_id_index" on "household_status_change" ("batch_id");`);
    this.addSql(`create index "household_status_change_county_code_valid_from_index" on "household_status_change" ("county_code", "valid_from");`);
    this.addSql(`alter table "household_status_change" add constraint "household_status_change_household_id_valid_from_unique" unique ("household_id", "valid_from");`);

    this.addSql(`create table "household_identity" ("id" bigserial primary key, "household_id" bigint not null, "county_code" varchar(12) not null, "key_version" smallint not null, "match_hash" bytea not null, "valid_from" timestamptz not null default now(), "valid_to" timestamptz null, constraint household_identity_valid_range check (valid_to is null or valid_to >= valid_from), constraint household_identity_hash_length check (octet_length(match_hash) = 32));`);
    this.addSql(`create index "household_identity_household_id_index" on "household_identity" ("household_id");`);
    this.addSql(`create index "household_identity_county_code_index" on "household_identity" ("county_code");`);
    this.addSql(`create unique index "household_identity_live_unique" on "household_identity" ("key_version", "match_hash") where "valid_to" is null;`);

    this.addSql(`create table "finding" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "ref" varchar(64) not null, "source" text check ("source" in ('INSPECTION', 'AUDIT', 'SUPERVISION', 'EVALUATION')) not null, "institution_id" bigint null, "county_code" varchar(12) not null, "text" text not null, "found_on" date not null, "due_on" date not null, "status" text check ("status" in ('OPEN', 'CLOSED')) not null, "closed_on" date null, "version" int not null default 1, constraint finding_closed check ((status = 'CLOSED') = (closed_on is not null)), constraint finding_dates check (due_on >= found_on and (closed_on is null or closed_on >= found_on)));`);
    this.addSql(`create index "finding_source_institution_id_index" on "finding" ("source_institution_id");`);
    this.addSql(`create index "finding_batch_id_index" on "finding" ("batch_id");`);
    this.addSql(`create index "finding_institution_id_index" on "finding" ("institution_id");`);
    this.addSql(`create index "finding_county_code_index" on "finding" ("county_code");`);
    this.addSql(`alter table "finding" add constraint "finding_source_institution_id_ref_unique" unique ("source_institution_id", "ref");`);

    this.addSql(`create table "enterprise" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "credit_code" varchar(18) not null, "name" varchar(200) not null, "kind" text check ("kind" in ('COMPANY', 'COOPERATIVE', 'FAMILY_FARM', 'INDIVIDUAL_BUSINESS')) not null, "county_code" varchar(12) not null, "village_code" varchar(12) null, "poverty_driving" boolean not null default false, "version" int not null default 1, constraint enterprise_credit_code check (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}\$'));`);
    this.addSql(`create index "enterprise_source_institution_id_index" on "enterprise" ("source_institution_id");`);
    this.addSql(`create index "enterprise_batch_id_index" on "enterprise" ("batch_id");`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_credit_code_unique" unique ("credit_code");`);
    this.addSql(`create index "enterprise_county_code_index" on "enterprise" ("county_code");`);
    this.addSql(`create index "enterprise_village_code_index" on "enterprise" ("village_code");`);

    this.addSql(`create table "guarantee_contract" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "borrower_kind" text check ("borrower_kind" in ('HOUSEHOLD', 'ENTERPRISE')) not null, "household_id" bigint null, "enterprise_id" bigint null, "guaranteed_amount" numeric(18,2) not null, "fee_rate" numeric(9,6) not null, "guarantor_share" numeric(7,6) not null, "bank_share" numeric(7,6) not null, "government_share" numeric(7,6) not null, "reguarantee_share" numeric(7,6) not null, "starts_on" date not null, "ends_on" date not null, "released_on" date null, "version" int not null default 1, constraint guarantee_contract_borrower check ((borrower_kind = 'HOUSEHOLD' and household_id is not null and enterprise_id is null) or (borrower_kind = 'ENTERPRISE' and enterprise_id is not null and household_id is null)), constraint guarantee_contract_dates check (ends_on > starts_on and (released_on is null or released_on >= starts_on)), constraint guarantee_contract_risk_shares check (guarantor_share >= 0 and bank_share >= 0 and government_share >= 0 and reguarantee_share >= 0 and guarantor_share + bank_share + government_share + reguarantee_share = 1), constraint guarantee_contract_amount check (guaranteed_amount > 0 and fee_rate >= 0));`);
    this.addSql(`create index "guarantee_contract_source_institution_id_index" on "guarantee_contract" ("source_institution_id");`);
    this.addSql(`create index "guarantee_contract_batch_id_index" on "guarantee_contract" ("batch_id");`);
    this.addSql(`create index "guarantee_contract_county_code_index" on "guarantee_contract" ("county_code");`);
    this.addSql(`create index "guarantee_contract_household_id_index" on "guarantee_contract" ("household_id");`);
    this.addSql(`create index "guarantee_contract_enterprise_id_index" on "guarantee_contract" ("enterprise_id");`);
    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "enterprise_linkage" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "enterprise_id" bigint not null, "county_code" varchar(12) not null, "mode" text check ("mode" in ('EMPLOYMENT', 'CONTRACT_PURCHASE', 'LAND_TRANSFER', 'DIVIDEND')) not null, "households" int not null, "as_of" date not null, constraint enterprise_linkage_households check (households >= 0));`);
    this.addSql(`create index "enterprise_linkage_source_institution_id_index" on "enterprise_linkage" ("source_institution_id");`);
    this.addSql(`create index "enterprise_linkage_batch_id_index" on "enterprise_linkage" ("batch_id");`);
    this.addSql(`create index "enterprise_linkage_county_code_index" on "enterprise_linkage" ("county_code");`);
    this.addSql(`alter table "enterprise_linkage" add constraint "enterprise_linkage_enterprise_id_mode_as_of_unique" unique ("enterprise_id", "mode", "as_of");`);

    this.addSql(`create table "docking_event" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "organizer_id" bigint not null, "ref" varchar(64) not null, "name" varchar(200) not null, "county_code" varchar(12) not null, "held_on" date not null);`);
    this.addSql(`create index "docking_event_source_institution_id_index" on "docking_event" ("source_institution_id");`);
    this.addSql(`create index "docking_event_batch_id_index" on "docking_event" ("batch_id");`);
    this.addSql(`create index "docking_event_county_code_index" on "docking_event" ("county_code");`);
    this.addSql(`alter table "docking_event" add constraint "docking_event_organizer_id_ref_unique" unique ("organizer_id", "ref");`);

    this.addSql(`create table "docking_project" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "event_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "enterprise_id" bigint not null, "bank_id" bigint not null, "requested" numeric(18,2) not null, "signed" numeric(18,2) not null, "disbursed" numeric(18,2) not null, constraint docking_project_amounts check (requested >= 0 and signed >= 0 and disbursed >= 0));`);
    this.addSql(`create index "docking_project_source_institution_id_index" on "docking_project" ("source_institution_id");`);
    this.addSql(`create index "docking_project_batch_id_index" on "docking_project" ("batch_id");`);
    this.addSql(`create index "docking_project_county_code_index" on "docking_project" ("county_code");`);
    this.addSql(`create index "docking_project_enterprise_id_index" on "docking_project" ("enterprise_id");`);
    this.addSql(`create index "docking_project_bank_id_index" on "docking_project" ("bank_id");`);
    this.addSql(`alter table "docking_project" add constraint "docking_project_event_id_ref_unique" unique ("event_id", "ref");`);

    this.addSql(`create table "disaster_event" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "ref" varchar(64) not null, "kind" text check ("kind" in ('FLOOD', 'DROUGHT', 'EPIDEMIC', 'EARTHQUAKE', 'TYPHOON', 'HAIL', 'FROST', 'LANDSLIDE', 'ANIMAL_DISEASE', 'OTHER')) not null, "name" varchar(200) not null, "starts_on" date not null, "ends_on" date null, constraint disaster_event_period check (ends_on is null or ends_on >= starts_on));`);
    this.addSql(`create index "disaster_event_source_institution_id_index" on "disaster_event" ("source_institution_id");`);
    this.addSql(`create index "disaster_event_batch_id_index" on "disaster_event" ("batch_id");`);
    this.addSql(`alter table "disaster_event" add constraint "disaster_event_source_institution_id_ref_unique" unique ("source_institution_id", "ref");`);

    this.addSql(`create table "disaster_area" ("id" bigserial primary key, "event_id" bigint not null, "area_code" varchar(12) not null);`);
    this.addSql(`create index "disaster_area_area_code_index" on "disaster_area" ("area_code");`);
    this.addSql(`alter table "disaster_area" add constraint "disaster_area_event_id_area_code_unique" unique ("event_id", "area_code");`);

    this.addSql(`create table "consent" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "household_id" bigint not null, "institution_id" bigint not null, "county_code" varchar(12) not null, "given_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by_id" bigint null, "evidence" text null, constraint consent_revoked_after_given check (revoked_at is null or revoked_at >= given_at));`);
    this.addSql(`create index "consent_source_institution_id_index" on "consent" ("source_institution_id");`);
    this.addSql(`create index "consent_batch_id_index" on "consent" ("batch_id");`);
    this.addSql(`create index "consent_household_id_index" on "consent" ("household_id");`);
    this.addSql(`create index "consent_institution_id_index" on "consent" ("institution_id");`);
    this.addSql(`create index "consent_county_code_index" on "consent" ("county_code");`);
    this.addSql(`create index "consent_revoked_by_id_index" on "consent" ("revoked_by_id");`);
    this.addSql(`create unique index "consent_live_unique" on "consent" ("household_id", "institution_id") where "revoked_at" is null;`);

    this.addSql(`create table "compensation" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "guarantee_id" bigint not null, "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "amount" numeric(18,2) not null, "paid_on" date not null, constraint compensation_amount check (amount > 0));`);
    this.addSql(`create index "compensation_source_institution_id_index" on "compensation" ("source_institution_id");`);
    this.addSql(`create index "compensation_batch_id_index" on "compensation" ("batch_id");`);
    this.addSql(`create index "compensation_guarantee_id_index" on "compensation" ("guarantee_id");`);
    this.addSql(`create index "compensation_county_code_index" on "compensation" ("county_code");`);
    this.addSql(`alter table "compensation" add constraint "compensation_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "compensation_recovery" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "compensation_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "amount" numeric(18,2) not null, "recovered_on" date not null, constraint compensation_recovery_amount check (amount > 0));`);
    this.addSql(`create index "compensation_recovery_source_institution_id_index" on "compensation_recovery" ("source_institution_id");`);
    this.addSql(`create index "compensation_recovery_batch_id_index" on "compensation_recovery" ("batch_id");`);
    this.addSql(`create index "compensation_recovery_county_code_index" on "compensation_recovery" ("county_code");`);
    this.addSql(`alter table "compensation_recovery" add constraint "compensation_recovery_compensation_id_ref_unique" unique ("compensation_id", "ref");`);

    this.addSql(`create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null default now(), "request_id" varchar(64) not null, "actor_institution_id" bigint null, "actor_role" varchar(16) not null, "actor_key" varchar(100) null, "action" varchar(48) not null, "operation" varchar(200) null, "household_id" bigint null, "fields" text[] null, "details" jsonb null, "prev_hash" bytea null, "hash" bytea null);`);
    this.addSql(`create index "audit_log_actor_institution_id_index" on "audit_log" ("actor_institution_id");`);
    this.addSql(`create index "audit_log_household_id_index" on "audit_log" ("household_id");`);
    this.addSql(`create index "audit_log_unchained_index" on "audit_log" ("id") where "hash" is null;`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);

    this.addSql(`create table "alert" ("id" bigserial primary key, "rule_id" bigint not null, "rule_version" int not null, "fingerprint" varchar(200) not null, "subject_type" varchar(32) not null, "subject_id" varchar(64) not null, "county_code" varchar(12) null, "institution_id" bigint null, "observed" numeric(20,6) null, "threshold" numeric(20,6) null, "severity" text check ("severity" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')) not null, "status" text check ("status" in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'FALSE_POSITIVE')) not null, "message" text not null, "raised_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`);
    this.addSql(`create index "alert_rule_id_index" on "alert" ("rule_id");`);
    this.addSql(`create index "alert_institution_id_status_index" on "alert" ("institution_id", "status");`);
    this.addSql(`create index "alert_county_code_status_index" on "alert" ("county_code", "status");`);
    this.addSql(`create unique index "alert_open_unique" on "alert" ("rule_id", "fingerprint") where "status" in ('OPEN', 'ACKNOWLEDGED');`);

    this.addSql(`create table "alert_event" ("id" bigserial primary key, "alert_id" bigint not null, "from_status" text check ("from_status" in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'FALSE_POSITIVE')) null, "to_status" text check ("to_status" in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'FALSE_POSITIVE')) not null, "actor" varchar(100) not null, "note" text null, "at" timestamptz not null default now());`);
    this.addSql(`create index "alert_event_alert_id_index" on "alert_event" ("alert_id");`);

    this.addSql(`create table "insurance_policy" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "line" text check ("line" in ('CROP', 'LIVESTOCK', 'FORESTRY', 'INDEX', 'PRICE', 'INCOME', 'CREDIT_LINKED')) not null, "subject" varchar(100) not null, "quantity" numeric(18,4) not null, "unit" varchar(16) not null, "sum_insured" numeric(18,2) not null, "premium" numeric(18,2) not null, "central_share" numeric(18,2) not null, "provincial_share" numeric(18,2) not null, "county_share" numeric(18,2) not null, "farmer_share" numeric(18,2) not null, "poverty_fund_share" numeric(18,2) not null, "starts_on" date not null, "ends_on" date not null, "holder_kind" text check ("holder_kind" in ('HOUSEHOLD', 'ENTERPRISE', 'GROUP')) not null, "household_id" bigint null, "enterprise_id" bigint null, "version" int not null default 1, constraint insurance_policy_holder check ((holder_kind = 'HOUSEHOLD' and household_id is not null and enterprise_id is null) or (holder_kind = 'ENTERPRISE' and enterprise_id is not null and household_id is null) or (holder_kind = 'GROUP' and household_id is null)), constraint insurance_policy_period check (ends_on > starts_on), constraint insurance_policy_payer_shares check (central_share >= 0 and provincial_share >= 0 and county_share >= 0 and farmer_share >= 0 and poverty_fund_share >= 0 and central_share + provincial_share + county_share + farmer_share + poverty_fund_share = premium), constraint insurance_policy_amounts check (premium >= 0 and sum_insured >= 0 and quantity > 0));`);
    this.addSql(`create index "insurance_policy_source_institution_id_index" on "insurance_policy" ("source_institution_id");`);
    this.addSql(`create index "insurance_policy_batch_id_index" on "insurance_policy" ("batch_id");`);
    this.addSql(`create index "insurance_policy_county_code_index" on "insurance_policy" ("county_code");`);
    this.addSql(`create index "insurance_policy_household_id_index" on "insurance_policy" ("household_id");`);
    this.addSql(`create index "insurance_policy_enterprise_id_index" on "insurance_policy" ("enterprise_id");`);
    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "claim" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "policy_id" bigint not null, "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "household_id" bigint null, "cause" text check ("cause" in ('FLOOD', 'DROUGHT', 'EPIDEMIC', 'DISEASE', 'PRICE_DROP', 'HAIL', 'FROST', 'TYPHOON', 'PEST', 'ACCIDENT', 'CREDIT_DEFAULT', 'OTHER')) not null, "disaster_event_id" bigint null, "loss_on" date not null, "agreed_on" date null, "agreed_amount" numeric(18,2) null, "paid_on" date null, "paid_amount" numeric(18,2) null, "version" int not null default 1, constraint claim_agreed_complete check ((agreed_on is null) = (agreed_amount is null) and (paid_on is null) = (paid_amount is null)), constraint claim_amounts check ((agreed_amount is null or agreed_amount >= 0) and (paid_amount is null or paid_amount >= 0)), constraint claim_dates check ((agreed_on is null or agreed_on >= loss_on) and (paid_on is null or (agreed_on is not null and paid_on >= agreed_on))));`);
    this.addSql(`create index "claim_source_institution_id_index" on "claim" ("source_institution_id");`);
    this.addSql(`create index "claim_batch_id_index" on "claim" ("batch_id");`);
    this.addSql(`create index "claim_policy_id_index" on "claim" ("policy_id");`);
    this.addSql(`create index "claim_county_code_index" on "claim" ("county_code");`);
    this.addSql(`create index "claim_household_id_index" on "claim" ("household_id");`);
    this.addSql(`create index "claim_disaster_event_id_index" on "claim" ("disaster_event_id");`);
    this.addSql(`alter table "claim" add constraint "claim_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "policy_insured_household" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "policy_id" bigint not null, "household_id" bigint not null, "county_code" varchar(12) not null, "quantity" numeric(18,4) null, "sum_insured" numeric(18,2) null, "premium" numeric(18,2) null, constraint policy_insured_household_amounts check ((quantity is null or quantity > 0) and (sum_insured is null or sum_insured >= 0) and (premium is null or premium >= 0)));`);
    this.addSql(`create index "policy_insured_household_source_institution_id_index" on "policy_insured_household" ("source_institution_id");`);
    this.addSql(`create index "policy_insured_household_batch_id_index" on "policy_insured_household" ("batch_id");`);
    this.addSql(`create index "policy_insured_household_household_id_index" on "policy_insured_household" ("household_id");`);
    this.addSql(`create index "policy_insured_household_county_code_index" on "policy_insured_household" ("county_code");`);
    this.addSql(`alter table "policy_insured_household" add constraint "policy_insured_household_policy_id_household_id_unique" unique ("policy_id", "household_id");`);

    this.addSql(`create table "policy_parameter" ("id" bigserial primary key, "key" varchar(100) not null, "value" numeric(20,6) not null, "unit" varchar(16) not null, "valid_from" date not null, "valid_to" date null, "basis" text not null, "description" text null, "created_at" timestamptz not null default now(), "created_by" varchar(100) not null, constraint policy_parameter_valid_range check (valid_to is null or valid_to > valid_from));`);
    this.addSql(`alter table "policy_parameter" add constraint "policy_parameter_key_valid_from_unique" unique ("key", "valid_from");`);

    this.addSql(`create table "record_version" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "record_kind" text check ("record_kind" in ('HOUSEHOLD', 'ENTERPRISE', 'SERVICE_POINT', 'LOAN', 'INSURANCE_POLICY', 'CLAIM', 'GUARANTEE_CONTRACT', 'RELENDING_FACILITY', 'RISK_COMPENSATION_FUND', 'DISASTER_EVENT', 'DOCKING_EVENT', 'FINDING')) not null, "record_id" bigint not null, "version" int not null, "county_code" varchar(12) not null, "terms" jsonb not null, "terms_hash" varchar(64) not null, constraint record_version_version check (version >= 1));`);
    this.addSql(`create index "record_version_source_institution_id_index" on "record_version" ("source_institution_id");`);
    this.addSql(`create index "record_version_batch_id_index" on "record_version" ("batch_id");`);
    this.addSql(`create index "record_version_county_code_record_kind_index" on "record_version" ("county_code", "record_kind");`);
    this.addSql(`alter table "record_version" add constraint "record_version_record_kind_record_id_version_unique" unique ("record_kind", "record_id", "version");`);

    this.addSql(`create table "rectification_step" ("id" bigserial primary key, "finding_id" bigint not null, "county_code" varchar(12) not null, "seq" int not null, "description" text not null, "reported_done_on" date null, "evidence" text null, "verified_at" timestamptz null, "verified_by_id" bigint null, constraint rectification_step_verified check ((verified_at is null) = (verified_by_id is null)));`);
    this.addSql(`create index "rectification_step_county_code_index" on "rectification_step" ("county_code");`);
    this.addSql(`create index "rectification_step_verified_by_id_index" on "rectification_step" ("verified_by_id");`);
    this.addSql(`alter table "rectification_step" add constraint "rectification_step_finding_id_seq_unique" unique ("finding_id", "seq");`);

    this.addSql(`create table "relending_facility" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "lender_id" bigint not null, "borrower_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "amount" numeric(18,2) not null, "annual_rate" numeric(9,6) not null, "drawn_on" date not null, "due_on" date not null, "rollovers" smallint not null default 0, "repaid_on" date null, "version" int not null default 1, constraint relending_facility_rollovers check (rollovers >= 0 and rollovers <= 4), constraint relending_facility_dates check (due_on > drawn_on and (repaid_on is null or repaid_on >= drawn_on)), constraint relending_facility_rate check (annual_rate >= 0), constraint relending_facility_amount check (amount > 0));`);
    this.addSql(`create index "relending_facility_source_institution_id_index" on "relending_facility" ("source_institution_id");`);
    this.addSql(`create index "relending_facility_batch_id_index" on "relending_facility" ("batch_id");`);
    this.addSql(`create index "relending_facility_borrower_id_index" on "relending_facility" ("borrower_id");`);
    this.addSql(`create index "relending_facility_county_code_index" on "relending_facility" ("county_code");`);
    this.addSql(`alter table "relending_facility" add constraint "relending_facility_lender_id_ref_unique" unique ("lender_id", "ref");`);

    this.addSql(`create table "risk_compensation_fund" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "government_id" bigint not null, "ref" varchar(64) not null, "name" varchar(200) not null, "county_code" varchar(12) not null, "capital" numeric(18,2) not null, "leverage_cap" numeric(9,4) not null, "established_on" date not null, "version" int not null default 1, constraint risk_compensation_fund_leverage check (leverage_cap > 0), constraint risk_compensation_fund_capital check (capital >= 0));`);
    this.addSql(`create index "risk_compensation_fund_source_institution_id_index" on "risk_compensation_fund" ("source_institution_id");`);
    this.addSql(`create index "risk_compensation_fund_batch_id_index" on "risk_compensation_fund" ("batch_id");`);
    this.addSql(`create index "risk_compensation_fund_county_code_index" on "risk_compensation_fund" ("county_code");`);
    this.addSql(`alter table "risk_compensation_fund" add constraint "risk_compensation_fund_government_id_ref_unique" unique ("government_id", "ref");`);

    this.addSql(`create table "loan" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "product" text check ("product" in ('POVERTY_MICROCREDIT', 'INDUSTRIAL', 'INCLUSIVE_SMALL_MICRO', 'RELOCATION_SUPPORT', 'OTHER_AGRI')) not null, "borrower_kind" text check ("borrower_kind" in ('HOUSEHOLD', 'ENTERPRISE')) not null, "household_id" bigint null, "enterprise_id" bigint null, "principal" numeric(18,2) not null, "disbursed_on" date not null, "matures_on" date not null, "annual_rate" numeric(9,6) not null, "subsidy_rate" numeric(9,6) null, "guarantee_mode" text check ("guarantee_mode" in ('CREDIT', 'GUARANTEE', 'COLLATERAL', 'INSURANCE', 'MIXED')) not null, "paid_to_account" text check ("paid_to_account" in ('HOUSEHOLD', 'ENTERPRISE', 'COOPERATIVE', 'OTHER')) not null, "relending_facility_id" bigint null, "risk_compensation_fund_id" bigint null, "purpose" text null, "closed_on" date null, "closure" text check ("closure" in ('SETTLED', 'WRITTEN_OFF')) null, "version" int not null default 1, constraint loan_closure check ((closure is null) = (closed_on is null)), constraint loan_dates check (matures_on > disbursed_on and (closed_on is null or closed_on >= disbursed_on)), constraint loan_rates check (annual_rate >= 0 and (subsidy_rate is null or subsidy_rate >= 0)), constraint loan_principal check (principal > 0), constraint loan_borrower check ((borrower_kind = 'HOUSEHOLD' and household_id is not null and enterprise_id is null) or (borrower_kind = 'ENTERPRISE' and enterprise_id is not null and household_id is null)));`);
    this.addSql(`create index "loan_source_institution_id_index" on "loan" ("source_institution_id");`);
    this.addSql(`create index "loan_batch_id_index" on "loan" ("batch_id");`);
    this.addSql(`create index "loan_household_id_index" on "loan" ("household_id");`);
    this.addSql(`create index "loan_enterprise_id_index" on "loan" ("enterprise_id");`);
    this.addSql(`create index "loan_relending_facility_id_index" on "loan" ("relending_facility_id");`);
    this.addSql(`create index "loan_risk_compensation_fund_id_index" on "loan" ("risk_compensation_fund_id");`);
    this.addSql(`create index "loan_county_code_product_index" on "loan" ("county_code", "product");`);
    this.addSql(`alter table "loan" add constraint "loan_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "repayment" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "loan_id" bigint not null, "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "paid_on" date not null, "principal" numeric(18,2) not null, "interest" numeric(18,2) not null, constraint repayment_amounts check (principal >= 0 and interest >= 0 and principal + interest > 0));`);
    this.addSql(`create index "repayment_source_institution_id_index" on "repayment" ("source_institution_id");`);
    this.addSql(`create index "repayment_batch_id_index" on "repayment" ("batch_id");`);
    this.addSql(`create index "repayment_county_code_index" on "repayment" ("county_code");`);
    this.addSql(`create index "repayment_loan_id_paid_on_index" on "repayment" ("loan_id", "paid_on");`);
    this.addSql(`alter table "repayment" add constraint "repayment_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "loan_position" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "loan_id" bigint not null, "county_code" varchar(12) not null, "institution_id" bigint not null, "month_end" date not null, "version" int not null, "is_latest" boolean not null, "balance" numeric(18,2) not null, "overdue_principal" numeric(18,2) not null, "overdue_days" int not null, "five_class" text check ("five_class" in ('NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS')) not null, "subsidy_paid" numeric(18,2) null, constraint loan_position_version check (version >= 1), constraint loan_position_is_month_end check (extract(day from month_end + 1) = 1), constraint loan_position_overdue_days check (overdue_days >= 0), constraint loan_position_amounts check (balance >= 0 and overdue_principal >= 0 and overdue_principal <= balance));`);
    this.addSql(`create index "loan_position_source_institution_id_index" on "loan_position" ("source_institution_id");`);
    this.addSql(`create index "loan_position_batch_id_index" on "loan_position" ("batch_id");`);
    this.addSql(`create index "loan_position_county_code_index" on "loan_position" ("county_code");`);
    this.addSql(`create index "loan_position_institution_id_index" on "loan_position" ("institution_id");`);
    this.addSql(`create index "loan_position_county_month_index" on "loan_position" ("county_code", "month_end") where "is_latest";`);
    this.addSql(`create unique index "loan_position_latest_unique" on "loan_position" ("loan_id", "month_end") where "is_latest";`);
    this.addSql(`alter table "loan_position" add constraint "loan_position_loan_id_month_end_version_unique" unique ("loan_id", "month_end", "version");`);

    this.addSql(`create table "loan_modification" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "loan_id" bigint not null, "institution_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "kind" text check ("kind" in ('EXTENSION', 'RENEWAL', 'EPIDEMIC_DEFERRAL', 'DISASTER_DEFERRAL')) not null, "effective_on" date not null, "previous_matures_on" date not null, "new_matures_on" date not null, "disaster_event_id" bigint null, "classification_relief" boolean not null default false, constraint loan_modification_dates check (new_matures_on > effective_on));`);
    this.addSql(`create index "loan_modification_source_institution_id_index" on "loan_modification" ("source_institution_id");`);
    this.addSql(`create index "loan_modification_batch_id_index" on "loan_modification" ("batch_id");`);
    this.addSql(`create index "loan_modification_loan_id_index" on "loan_modification" ("loan_id");`);
    this.addSql(`create index "loan_modification_county_code_index" on "loan_modification" ("county_code");`);
    this.addSql(`create index "loan_modification_disaster_event_id_index" on "loan_modification" ("disaster_event_id");`);
    this.addSql(`alter table "loan_modification" add constraint "loan_modification_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "docking_project_loan" ("id" bigserial primary key, "project_id" bigint not null, "loan_id" bigint not null, "county_code" varchar(12) not null);`);
    this.addSql(`create index "docking_project_loan_loan_id_index" on "docking_project_loan" ("loan_id");`);
    this.addSql(`create index "docking_project_loan_county_code_index" on "docking_project_loan" ("county_code");`);
    this.addSql(`alter table "docking_project_loan" add constraint "docking_project_loan_project_id_loan_id_unique" unique ("project_id", "loan_id");`);

    this.addSql(`create table "contract_link" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "policy_id" bigint null, "guarantee_id" bigint null, "submitter_id" bigint not null, "bank_code" varchar(32) not null, "loan_ref" varchar(64) not null, "loan_id" bigint null, "status" text check ("status" in ('PENDING', 'LINKED')) not null, "linked_at" timestamptz null, "county_code" varchar(12) not null, constraint contract_link_status check ((status = 'LINKED') = (loan_id is not null)), constraint contract_link_one_contract check ((policy_id is null) <> (guarantee_id is null)));`);
    this.addSql(`create index "contract_link_source_institution_id_index" on "contract_link" ("source_institution_id");`);
    this.addSql(`create index "contract_link_batch_id_index" on "contract_link" ("batch_id");`);
    this.addSql(`create index "contract_link_submitter_id_index" on "contract_link" ("submitter_id");`);
    this.addSql(`create index "contract_link_loan_id_index" on "contract_link" ("loan_id");`);
    this.addSql(`create index "contract_link_county_code_index" on "contract_link" ("county_code");`);
    this.addSql(`create index "contract_link_pending_index" on "contract_link" ("bank_code", "loan_ref") where "status" = 'PENDING';`);
    this.addSql(`create unique index "contract_link_guarantee_unique" on "contract_link" ("guarantee_id", "bank_code", "loan_ref") where "guarantee_id" is not null;`);
    this.addSql(`create unique index "contract_link_policy_unique" on "contract_link" ("policy_id", "bank_code", "loan_ref") where "policy_id" is not null;`);

    this.addSql(`create table "fund_movement" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "fund_id" bigint not null, "ref" varchar(64) not null, "county_code" varchar(12) not null, "kind" text check ("kind" in ('TOP_UP', 'PAYOUT', 'RECOVERY', 'WITHDRAWAL')) not null, "amount" numeric(18,2) not null, "occurred_on" date not null, "loan_id" bigint null, constraint fund_movement_amount check (amount > 0));`);
    this.addSql(`create index "fund_movement_source_institution_id_index" on "fund_movement" ("source_institution_id");`);
    this.addSql(`create index "fund_movement_batch_id_index" on "fund_movement" ("batch_id");`);
    this.addSql(`create index "fund_movement_county_code_index" on "fund_movement" ("county_code");`);
    this.addSql(`create index "fund_movement_loan_id_index" on "fund_movement" ("loan_id");`);
    this.addSql(`alter table "fund_movement" add constraint "fund_movement_fund_id_ref_unique" unique ("fund_id", "ref");`);

    this.addSql(`create table "fund_bank_agreement" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "fund_id" bigint not null, "bank_id" bigint not null, "county_code" varchar(12) not null, "fund_share" numeric(7,6) not null, "bank_share" numeric(7,6) not null, "leverage_cap" numeric(9,4) null, "valid_from" date not null, "valid_to" date null, constraint fund_bank_agreement_leverage check (leverage_cap is null or leverage_cap > 0), constraint fund_bank_agreement_valid_range check (valid_to is null or valid_to > valid_from), constraint fund_bank_agreement_shares check (fund_share >= 0 and bank_share >= 0 and fund_share + bank_share = 1));`);
    this.addSql(`create index "fund_bank_agreement_source_institution_id_index" on "fund_bank_agreement" ("source_institution_id");`);
    this.addSql(`create index "fund_bank_agreement_batch_id_index" on "fund_bank_agreement" ("batch_id");`);
    this.addSql(`create index "fund_bank_agreement_bank_id_index" on "fund_bank_agreement" ("bank_id");`);
    this.addSql(`create index "fund_bank_agreement_county_code_index" on "fund_bank_agreement" ("county_code");`);
    this.addSql(`alter table "fund_bank_agreement" add constraint "fund_bank_agreement_fund_id_bank_id_valid_from_unique" unique ("fund_id", "bank_id", "valid_from");`);

    this.addSql(`create table "service_point" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "institution_id" bigint not null, "ref" varchar(64) not null, "kind" text check ("kind" in ('BRANCH', 'ATM', 'AGENT', 'MOBILE')) not null, "name" varchar(200) not null, "village_code" varchar(12) not null, "county_code" varchar(12) not null, "opened_on" date not null, "closed_on" date null, "version" int not null default 1, constraint service_point_dates check (closed_on is null or closed_on >= opened_on));`);
    this.addSql(`create index "service_point_source_institution_id_index" on "service_point" ("source_institution_id");`);
    this.addSql(`create index "service_point_batch_id_index" on "service_point" ("batch_id");`);
    this.addSql(`create index "service_point_village_code_index" on "service_point" ("village_code");`);
    this.addSql(`create index "service_point_county_code_index" on "service_point" ("county_code");`);
    this.addSql(`alter table "service_point" add constraint "service_point_institution_id_ref_unique" unique ("institution_id", "ref");`);

    this.addSql(`create table "service_point_activity" ("id" bigserial primary key, "source_institution_id" bigint not null, "batch_id" bigint not null, "received_at" timestamptz not null default now(), "service_point_id" bigint not null, "county_code" varchar(12) not null, "month" date not null, "transactions" int not null, constraint service_point_activity_is_month_end check (extract(day from month + 1) = 1), constraint service_point_activity_transactions check (transactions >= 0));`);
    this.addSql(`create index "service_point_activity_source_institution_id_index" on "service_point_activity" ("source_institution_id");`);
    this.addSql(`create index "service_point_activity_batch_id_index" on "service_point_activity" ("batch_id");`);
    this.addSql(`create index "service_point_activity_county_code_index" on "service_point_activity" ("county_code");`);
    this.addSql(`alter table "service_point_activity" add constraint "service_point_activity_service_point_id_month_unique" unique ("service_point_id", "month");`);

    this.addSql(`alter table "alert_rule_version" add constraint "alert_rule_version_rule_id_foreign" foreign key ("rule_id") references "alert_rule" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "area" add constraint "area_parent_code_foreign" foreign key ("parent_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "area_designation" add constraint "area_designation_area_code_foreign" foreign key ("area_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "institution" add constraint "institution_home_area_code_foreign" foreign key ("home_area_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "institution" add constraint "institution_parent_id_foreign" foreign key ("parent_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "ingest_batch" add constraint "ingest_batch_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "household" add constraint "household_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "household" add constraint "household_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "household" add constraint "household_village_code_foreign" foreign key ("village_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "household" add constraint "household_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "household_status_change" add constraint "household_status_change_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "household_status_change" add constraint "household_status_change_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "household_status_change" add constraint "household_status_change_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "household_status_change" add constraint "household_status_change_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "household_identity" add constraint "household_identity_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "household_identity" add constraint "household_identity_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "finding" add constraint "finding_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "finding" add constraint "finding_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "finding" add constraint "finding_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "finding" add constraint "finding_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "enterprise" add constraint "enterprise_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_village_code_foreign" foreign key ("village_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "guarantee_contract" add constraint "guarantee_contract_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "enterprise_linkage" add constraint "enterprise_linkage_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "enterprise_linkage" add constraint "enterprise_linkage_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "enterprise_linkage" add constraint "enterprise_linkage_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "enterprise_linkage" add constraint "enterprise_linkage_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "docking_event" add constraint "docking_event_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_event" add constraint "docking_event_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_event" add constraint "docking_event_organizer_id_foreign" foreign key ("organizer_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_event" add constraint "docking_event_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "docking_project" add constraint "docking_project_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project" add constraint "docking_project_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project" add constraint "docking_project_event_id_foreign" foreign key ("event_id") references "docking_event" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project" add constraint "docking_project_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project" add constraint "docking_project_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project" add constraint "docking_project_bank_id_foreign" foreign key ("bank_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "disaster_event" add constraint "disaster_event_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "disaster_event" add constraint "disaster_event_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "disaster_area" add constraint "disaster_area_event_id_foreign" foreign key ("event_id") references "disaster_event" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "disaster_area" add constraint "disaster_area_area_code_foreign" foreign key ("area_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "consent" add constraint "consent_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "consent" add constraint "consent_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "consent" add constraint "consent_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "consent" add constraint "consent_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "consent" add constraint "consent_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "consent" add constraint "consent_revoked_by_id_foreign" foreign key ("revoked_by_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "compensation" add constraint "compensation_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation" add constraint "compensation_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation" add constraint "compensation_guarantee_id_foreign" foreign key ("guarantee_id") references "guarantee_contract" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation" add constraint "compensation_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation" add constraint "compensation_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "compensation_recovery" add constraint "compensation_recovery_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation_recovery" add constraint "compensation_recovery_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation_recovery" add constraint "compensation_recovery_compensation_id_foreign" foreign key ("compensation_id") references "compensation" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compensation_recovery" add constraint "compensation_recovery_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "audit_log" add constraint "audit_log_actor_institution_id_foreign" foreign key ("actor_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "alert" add constraint "alert_rule_id_foreign" foreign key ("rule_id") references "alert_rule" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "alert" add constraint "alert_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "alert" add constraint "alert_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "alert_event" add constraint "alert_event_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "insurance_policy" add constraint "insurance_policy_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "claim" add constraint "claim_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_policy_id_foreign" foreign key ("policy_id") references "insurance_policy" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_disaster_event_id_foreign" foreign key ("disaster_event_id") references "disaster_event" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "policy_insured_household" add constraint "policy_insured_household_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "policy_insured_household" add constraint "policy_insured_household_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "policy_insured_household" add constraint "policy_insured_household_policy_id_foreign" foreign key ("policy_id") references "insurance_policy" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "policy_insured_household" add constraint "policy_insured_household_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "policy_insured_household" add constraint "policy_insured_household_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "record_version" add constraint "record_version_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "record_version" add constraint "record_version_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "record_version" add constraint "record_version_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "rectification_step" add constraint "rectification_step_finding_id_foreign" foreign key ("finding_id") references "finding" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "rectification_step" add constraint "rectification_step_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "rectification_step" add constraint "rectification_step_verified_by_id_foreign" foreign key ("verified_by_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "relending_facility" add constraint "relending_facility_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "relending_facility" add constraint "relending_facility_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "relending_facility" add constraint "relending_facility_lender_id_foreign" foreign key ("lender_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "relending_facility" add constraint "relending_facility_borrower_id_foreign" foreign key ("borrower_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "relending_facility" add constraint "relending_facility_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "risk_compensation_fund" add constraint "risk_compensation_fund_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "risk_compensation_fund" add constraint "risk_compensation_fund_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "risk_compensation_fund" add constraint "risk_compensation_fund_government_id_foreign" foreign key ("government_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "risk_compensation_fund" add constraint "risk_compensation_fund_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "loan" add constraint "loan_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_relending_facility_id_foreign" foreign key ("relending_facility_id") references "relending_facility" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan" add constraint "loan_risk_compensation_fund_id_foreign" foreign key ("risk_compensation_fund_id") references "risk_compensation_fund" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "repayment" add constraint "repayment_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "repayment" add constraint "repayment_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "repayment" add constraint "repayment_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "repayment" add constraint "repayment_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "repayment" add constraint "repayment_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "loan_position" add constraint "loan_position_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_position" add constraint "loan_position_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_position" add constraint "loan_position_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_position" add constraint "loan_position_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_position" add constraint "loan_position_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "loan_modification" add constraint "loan_modification_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_modification" add constraint "loan_modification_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_modification" add constraint "loan_modification_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_modification" add constraint "loan_modification_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_modification" add constraint "loan_modification_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "loan_modification" add constraint "loan_modification_disaster_event_id_foreign" foreign key ("disaster_event_id") references "disaster_event" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "docking_project_loan" add constraint "docking_project_loan_project_id_foreign" foreign key ("project_id") references "docking_project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project_loan" add constraint "docking_project_loan_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "docking_project_loan" add constraint "docking_project_loan_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "contract_link" add constraint "contract_link_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract_link" add constraint "contract_link_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract_link" add constraint "contract_link_policy_id_foreign" foreign key ("policy_id") references "insurance_policy" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract_link" add constraint "contract_link_guarantee_id_foreign" foreign key ("guarantee_id") references "guarantee_contract" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract_link" add constraint "contract_link_submitter_id_foreign" foreign key ("submitter_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract_link" add constraint "contract_link_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract_link" add constraint "contract_link_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "fund_movement" add constraint "fund_movement_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_movement" add constraint "fund_movement_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_movement" add constraint "fund_movement_fund_id_foreign" foreign key ("fund_id") references "risk_compensation_fund" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_movement" add constraint "fund_movement_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_movement" add constraint "fund_movement_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "fund_bank_agreement" add constraint "fund_bank_agreement_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_bank_agreement" add constraint "fund_bank_agreement_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_bank_agreement" add constraint "fund_bank_agreement_fund_id_foreign" foreign key ("fund_id") references "risk_compensation_fund" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_bank_agreement" add constraint "fund_bank_agreement_bank_id_foreign" foreign key ("bank_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "fund_bank_agreement" add constraint "fund_bank_agreement_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "service_point" add constraint "service_point_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point" add constraint "service_point_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point" add constraint "service_point_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point" add constraint "service_point_village_code_foreign" foreign key ("village_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point" add constraint "service_point_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "service_point_activity" add constraint "service_point_activity_source_institution_id_foreign" foreign key ("source_institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point_activity" add constraint "service_point_activity_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point_activity" add constraint "service_point_activity_service_point_id_foreign" foreign key ("service_point_id") references "service_point" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_point_activity" add constraint "service_point_activity_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
  }

}
